/// A CSV file as RFC 4180 and Excel write it: fields separated by commas (or by tabs, when the
/// header has tabs and no commas, as Excel's "Unicode text" has), a field in double quotes may
/// hold commas, line breaks and `""` for a quote. Each record keeps the line it starts on, so
/// that every later error can name line and column.
public struct CSVTable: Sendable, Equatable {
    public struct Record: Sendable, Equatable {
        /// The file's line the record starts on (1-based; a quoted line break makes the next
        /// record start further on).
        public var line: Int
        public var fields: [String]
    }

    public var header: Record
    public var records: [Record]

    /// - Throws: `AgendaError` at an unclosed quote (where it opened) or text after a closing
    ///   quote; an empty file has no header.
    public init(text: String, file: String) throws(AgendaError) {
        let scalars = Array(text.unicodeScalars)
        let firstLine = scalars.prefix { $0 != "\n" && $0 != "\r" }
        let separator: Unicode.Scalar = firstLine.contains("\t") && !firstLine.contains(",") ? "\t" : ","
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1, recordLine = 1, column = 1
        var quoted = false, quoteLine = 0, quoteColumn = 0, afterQuote = false
        var i = 0
        func endField() { fields.append(String(field)); field.removeAll(); afterQuote = false }
        func endRecord() {
            endField()
            // A line with nothing on it is not a record (Excel ends files with one).
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll()
        }
        while i < scalars.count {
            let c = scalars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < scalars.count, scalars[i + 1] == "\"" { field.append("\""); i += 2; column += 2; continue }
                    quoted = false
                    afterQuote = true
                } else {
                    field.append(c)
                    if c == "\n" || (c == "\r" && !(i + 1 < scalars.count && scalars[i + 1] == "\n")) { line += 1; column = 0 }
                }
            } else if c == separator {
                endField()
            } else if c == "\r" || c == "\n" {
                if c == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }
                endRecord()
                line += 1
                recordLine = line
                column = 0
            } else if c == "\"" && field.isEmpty && !afterQuote {
                quoted = true
                (quoteLine, quoteColumn) = (line, column)
            } else if afterQuote {
                if c == " " || c == "\t" { i += 1; column += 1; continue }
                throw AgendaError(location: "\(file):\(line):\(column)", message: "text after a closing quote; a quote inside a quoted field is written \"\"")
            } else {
                field.append(c)
            }
            i += 1
            column += 1
        }
        if quoted {
            throw AgendaError(location: "\(file):\(quoteLine):\(quoteColumn)", message: "this quote is never closed")
        }
        if !field.isEmpty || !fields.isEmpty || afterQuote { endRecord() }
        guard let header = records.first else { throw AgendaError(location: file, message: "is empty: a header line is expected") }
        self.header = header
        self.records = Array(records.dropFirst())
    }
}
