import DeadlineCore

/// The built-in wording of every event in Thai and English. The config can replace any of
/// them (`templates.<event>.<language>`).
///
/// A template is Mustache text whose first line is `Subject: …`; the rest, after an optional
/// blank line, is the body. Sections (`{{#location}}…{{/location}}`) drop a line whose value
/// is missing. The variables are listed in `MessageContext`.
public enum MessageTemplates {
    public static func builtIn(_ event: MessageEvent, _ language: Language) -> String {
        switch (event, language) {
        case (.meeting, .thai): """
            Subject: [ประชุม] {{title}} {{relative}}

            ขอเรียนเตือนการประชุม "{{title}}" {{relative}}
            วันเวลา: {{due}}
            {{#location}}สถานที่: {{location}}
            {{/location}}{{#chair}}ประธาน: {{chair}}
            {{/chair}}{{#working_group}}คณะทำงาน: {{working_group}}
            {{/working_group}}{{#organisation}}หน่วยงาน: {{organisation}}
            {{/organisation}}{{#notes}}หมายเหตุ: {{notes}}
            {{/notes}}
            รหัส {{key}} · เมื่อประชุมแล้ว: deadlinectl held {{key}}
            """
        case (.meeting, .english): """
            Subject: [Meeting] {{title}} {{relative}}

            A reminder of the meeting "{{title}}", {{relative}}.
            When: {{due}}
            {{#location}}Where: {{location}}
            {{/location}}{{#chair}}Chair: {{chair}}
            {{/chair}}{{#working_group}}Working group: {{working_group}}
            {{/working_group}}{{#organisation}}Organisation: {{organisation}}
            {{/organisation}}{{#notes}}Notes: {{notes}}
            {{/notes}}
            Key {{key}} · once held: deadlinectl held {{key}}
            """
        case (.deadline, .thai): """
            Subject: [กำหนดส่ง] {{title}} อีก {{working_days}} วันทำการ

            ขอเรียนเตือนกำหนดส่ง "{{title}}"{{#recipient}} ถึง {{recipient}}{{/recipient}}
            ครบกำหนด: {{due}} (อีก {{working_days}} วันทำการ)
            {{#plan}}แผน: {{plan}}
            {{/plan}}{{#organisation}}หน่วยงาน: {{organisation}}
            {{/organisation}}{{#notes}}หมายเหตุ: {{notes}}
            {{/notes}}
            รหัส {{key}} · เมื่อส่งแล้ว: deadlinectl submit {{key}}
            """
        case (.deadline, .english): """
            Subject: [Due] {{title}} in {{working_days}} working day(s)

            A reminder that "{{title}}" is due{{#recipient}} to {{recipient}}{{/recipient}} in {{working_days}} working day(s).
            Due: {{due}}
            {{#plan}}Plan: {{plan}}
            {{/plan}}{{#organisation}}Organisation: {{organisation}}
            {{/organisation}}{{#notes}}Notes: {{notes}}
            {{/notes}}
            Key {{key}} · once submitted: deadlinectl submit {{key}}
            """
        case (.dueToday, .thai): """
            Subject: [ครบกำหนดวันนี้] {{title}}

            วันนี้เป็นวันครบกำหนดส่ง "{{title}}"{{#recipient}} ถึง {{recipient}}{{/recipient}}
            ครบกำหนด: {{due}}
            {{#organisation}}หน่วยงาน: {{organisation}}
            {{/organisation}}
            รหัส {{key}} · เมื่อส่งแล้ว: deadlinectl submit {{key}}
            """
        case (.dueToday, .english): """
            Subject: [Due today] {{title}}

            "{{title}}" is due{{#recipient}} to {{recipient}}{{/recipient}} today.
            Due: {{due}}
            {{#organisation}}Organisation: {{organisation}}
            {{/organisation}}
            Key {{key}} · once submitted: deadlinectl submit {{key}}
            """
        case (.overdue, .thai): """
            Subject: [เลยกำหนด {{overdue_days}} วัน] {{title}}

            "{{title}}" เลยกำหนดส่งมาแล้ว {{overdue_days}} วัน และยังไม่ได้ส่ง{{#recipient}} ถึง {{recipient}}{{/recipient}}
            ครบกำหนด: {{due}}
            {{#organisation}}หน่วยงาน: {{organisation}}
            {{/organisation}}
            รหัส {{key}} · เมื่อส่งแล้ว: deadlinectl submit {{key}}
            """
        case (.overdue, .english): """
            Subject: [Overdue by {{overdue_days}} day(s)] {{title}}

            "{{title}}" is {{overdue_days}} day(s) past its due date and not yet submitted{{#recipient}} to {{recipient}}{{/recipient}}.
            Due: {{due}}
            {{#organisation}}Organisation: {{organisation}}
            {{/organisation}}
            Key {{key}} · once submitted: deadlinectl submit {{key}}
            """
        case (.escalation, .thai): """
            Subject: [แจ้งเพื่อทราบ] {{title}} ยังไม่ได้ส่ง ครบกำหนดอีก {{working_days}} วันทำการ

            เรียนเพื่อโปรดทราบ: "{{title}}" ยังไม่ได้ส่ง{{#recipient}} ถึง {{recipient}}{{/recipient}}
            ครบกำหนด: {{due}} (อีก {{working_days}} วันทำการ)
            {{#organisation}}หน่วยงาน: {{organisation}}
            {{/organisation}}{{#people}}ผู้รับผิดชอบ: {{people}}
            {{/people}}
            รหัส {{key}}
            """
        case (.escalation, .english): """
            Subject: [For your attention] {{title}} not yet submitted, due in {{working_days}} working day(s)

            For your attention: "{{title}}" has not yet been submitted{{#recipient}} to {{recipient}}{{/recipient}}.
            Due: {{due}} (in {{working_days}} working day(s))
            {{#organisation}}Organisation: {{organisation}}
            {{/organisation}}{{#people}}Responsible: {{people}}
            {{/people}}
            Key {{key}}
            """
        }
    }
}
