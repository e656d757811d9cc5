import Foundation
import PackagePlugin

/// Writes the target's `.varlink` file into a Swift string at build time, so the IDL has one
/// source (the file) and an installed binary still needs no resource bundle.
///
/// The command is `/bin/sh` rather than a tool of this package: a tool would be built with the
/// package's flags, the fuzzer's sanitizer among them.
@main
struct EmbedInterfaceDefinition: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let idl = target.directoryURL.appending(path: "io.deadlined.varlink")
        let swift = context.pluginWorkDirectoryURL.appending(path: "InterfaceDefinition.swift")
        // A raw string: `\` and `"` stay as written. The file's last newline ends the literal's
        // last line, so the string is the file without it.
        let script = """
            { printf '%s\\n' '// Generated from io.deadlined.varlink by the EmbedInterfaceDefinition plugin: edit that file.' \
              'enum InterfaceDefinition {' '    static let ioDeadlined = #\"\"\"'
              cat "$1"
              printf '%s\\n' '\"\"\"#' '}'
            } > "$2"
            """
        return [.buildCommand(displayName: "Embedding io.deadlined.varlink", executable: URL(filePath: "/bin/sh"),
                              arguments: ["-c", script, "sh", idl.path(percentEncoded: false), swift.path(percentEncoded: false)],
                              inputFiles: [idl], outputFiles: [swift])]
    }
}
