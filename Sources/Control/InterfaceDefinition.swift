// The IDL served by GetInterfaceDescription. It is a copy of io.deadlined.varlink beside this
// file, embedded so that an installed binary needs no resource bundle; a test keeps the two equal.
enum InterfaceDefinition {
    static let ioDeadlined = #"""
# The control interface of deadlined: a daemon that keeps an office's meetings and
# submission due dates and reminds people before each one.
#
# Instants are ISO 8601 strings with an offset, e.g. 2017-05-16T14:00:00+07:00; a whole day
# is YYYY-MM-DD. Inputs named `at`, `due`, `from` and `to` also take Thai dates as letters
# write them (วันอังคารที่ 16 พฤษภาคม พ.ศ. 2560 เวลา 14.00 น.), English dates and relative forms.
#
# Methods that change something (AddItem, AddItems, Update, Remove, Acknowledge, Import, ImportHolidays,
# TestChannel, Backup, Reload, Audit) answer org.varlink.service.PermissionDenied unless the caller is root or in the
# configured group (control.group, default `deadline`); reading is open to anyone who can
# open the socket.
interface io.deadlined

# One reminder of an item.
type Reminder (
  id: int,
  fireAt: string,
  label: string,
  state: (pending, firing, delivered, retrying, failed, missed, cancelled),
  attempts: int,
  lastError: ?string,
  # For a repeating meeting: the start of the instance it is for.
  instance: ?string
)

# A meeting to attend or a deadline to meet.
type Item (
  id: int,
  key: string,
  kind: (meeting, deadline),
  title: string,
  at: string,
  dateOnly: bool,
  end: ?string,
  timeZone: string,
  organisation: string,
  location: ?string,
  notes: ?string,
  chair: ?string,
  attendees: []string,
  workingGroup: ?string,
  followUpOf: ?string,
  plan: ?string,
  recipient: ?string,
  tags: []string,
  remind: []string,
  escalation: []string,
  leads: ?[]string,
  state: (open, submitted, held, cancelled),
  stateChangedAt: ?string,
  stateChangedBy: ?string,
  daysLeft: int,
  workingDaysLeft: int,
  reminders: []Reminder,
  # How a meeting repeats, as an iCalendar RRULE (FREQ=MONTHLY;BYDAY=1TU); null for one meeting.
  recurrence: ?string,
  # Instances left out of the series.
  exceptions: ?[]string,
  # Instances added to the series' rule (an invitation's RDATE).
  extraDates: ?[]string,
  # Its iCalendar UID, stable for the item's life.
  uid: ?string,
  # A meeting moved or changed out of a series (an invitation's RECURRENCE-ID): the start of
  # the series' meeting it replaces. It shares the series' UID.
  replaces: ?string,
  # A repeating meeting's next instance from today (its last once the series is over);
  # daysLeft and workingDaysLeft count to it.
  next: ?string
)

# A reminder the daemon would send, from Simulate.
type PlannedReminder (
  fireAt: string,
  key: string,
  kind: (meeting, deadline),
  title: string,
  label: string
)

# A configured reminder channel.
type Channel (
  name: string,
  type: (journal, file, command, email, webhook),
  concurrency: int,
  maxAttempts: int,
  timeoutSeconds: int
)

# A reminder a channel refused: being retried, or failed for good.
type Problem (
  reminder: int,
  item: string,
  fireAt: string,
  state: (retrying, failed),
  attempts: int,
  error: string
)

# Something that happened, as `Watch` reports it: a reminder sent (every channel took it), a
# channel that refused one (`final` when it will not be tried again), an item added or changed.
type Event (
  kind: (reminder_sent, delivery_failed, item_changed),
  at: string,
  item: string,
  reminder: ?int,
  channel: ?string,
  state: ?string,
  detail: ?string,
  final: ?bool
)

# One change made over the control socket.
type AuditEntry (
  at: string,
  uid: int,
  pid: int,
  command: string,
  method: string,
  target: string,
  before: ?string,
  after: ?string
)

type Holiday (
  date: string,
  name: string,
  english: ?string,
  # The Cabinet resolution or report it comes from, or the rule that computed it.
  source: ?string
)

# A day government offices work although people may expect a holiday (Labour Day), or a
# holiday that was moved away.
type NotHoliday (
  date: string,
  name: string,
  english: ?string,
  why: string
)

# How a year's holidays are known: announced (every day checked against the Cabinet's
# resolutions), provisional (a file not fully checked), computed (no file: fixed dates, the
# lunar calendar and substitution days, without the Royal Ploughing Day and special days).
type HolidayYear (
  year: int,
  status: (announced, provisional, computed),
  holidays: int
)

# A year, not announced, that open items' working-day reminders count through: they may land a
# day early or late until the year's announcement is loaded. `status` null: nothing is known.
# `items` names the first 10 of them (by key), `itemCount` counts them all.
type HolidayCaveat (
  year: int,
  status: ?(announced, provisional, computed),
  items: []string,
  itemCount: int,
  message: string
)

# An item to add, as AddItem takes it (AddItems takes a list of them).
type NewItem (
  kind: (meeting, deadline),
  title: string,
  at: string,
  key: ?string,
  timeZone: ?string,
  end: ?string,
  organisation: ?string,
  location: ?string,
  notes: ?string,
  chair: ?string,
  attendees: ?[]string,
  workingGroup: ?string,
  followUpOf: ?string,
  plan: ?string,
  recipient: ?string,
  tags: ?[]string,
  remind: ?[]string,
  escalation: ?[]string,
  leads: ?[]string,
  rule: ?string,
  # A meeting that repeats: an RRULE (FREQ=DAILY/WEEKLY/MONTHLY/YEARLY with INTERVAL, COUNT, UNTIL,
  # BYDAY, BYMONTHDAY, BYMONTH); `at` is its first instance. Reminders are planned for the instances in
  # a window ahead, never for the whole series.
  recurrence: ?string
)

# The daemon's health and workload.
method Status() -> (
  version: string,
  uptimeSeconds: int,
  store: string,
  storeHealth: string,
  storeBytes: int,
  language: string,
  timeZone: string,
  items: int,
  pending: int,
  firing: int,
  delivered: int,
  retrying: int,
  failed: int,
  missed: int,
  cancelled: int,
  nextReminder: ?string,
  watchdogUsec: int,
  lastDowntime: ?string,
  channels: []Channel,
  problems: []Problem,
  # The loaded holiday years (years without one are computed).
  holidayYears: []HolidayYear,
  holidayCaveats: []HolidayCaveat,
  # How many items count working days through a year of `holidayCaveats` (each once).
  holidayCaveatItems: int
)

# Adds an item. An `at` without an offset is read in `timeZone`, which defaults to the
# daemon's configured zone. `rule` names a rule set of the config; `leads` replaces the
# rule's lead times (e.g. ["1d", "2h", "0"]).
method AddItem(
  kind: (meeting, deadline),
  title: string,
  at: string,
  key: ?string,
  timeZone: ?string,
  end: ?string,
  organisation: ?string,
  location: ?string,
  notes: ?string,
  chair: ?string,
  attendees: ?[]string,
  workingGroup: ?string,
  followUpOf: ?string,
  plan: ?string,
  recipient: ?string,
  tags: ?[]string,
  remind: ?[]string,
  escalation: ?[]string,
  leads: ?[]string,
  rule: ?string,
  # A meeting that repeats: an RRULE (FREQ=DAILY/WEEKLY/MONTHLY/YEARLY with INTERVAL, COUNT, UNTIL,
  # BYDAY, BYMONTHDAY, BYMONTH); `at` is its first instance. Reminders are planned for the instances in
  # a window ahead, never for the whole series.
  recurrence: ?string
) -> (item: Item, warnings: ?[]string)

# Adds many items at once, all or none, in one transaction (each audited as AddItem): for
# scripts that add hundreds. Each element takes AddItem's parameters. The first item that is
# refused refuses the call with AddItem's error for it, and nothing is added.
method AddItems(items: []NewItem) -> (keys: []string, reminders: int, warnings: ?[]string)

# Items, soonest first; every filter given must hold. `from` and `to` bound the item's own
# date (a whole day as `to` counts to its end); `overdue` keeps open items past their date.
method ListItems(
  kind: ?(meeting, deadline),
  state: ?(open, submitted, held, cancelled),
  from: ?string,
  to: ?string,
  tag: ?string,
  overdue: ?bool
) -> (items: []Item)

# Changes an item's fields: only those given change (an empty list clears one). A new date,
# rule or lead times replans the reminders still ahead of an open item.
method Update(
  key: string,
  title: ?string,
  at: ?string,
  end: ?string,
  location: ?string,
  notes: ?string,
  recipient: ?string,
  tags: ?[]string,
  remind: ?[]string,
  escalation: ?[]string,
  leads: ?[]string,
  rule: ?string,
  # A new RRULE for a meeting; empty: it stops repeating.
  recurrence: ?string,
  # Meetings of a series to leave out (EXDATE): the day (or date and time) of each.
  skip: ?[]string
) -> (item: Item, warnings: ?[]string)

# Re-reads the config, holidays and templates as one unit, as SIGHUP does. A config that cannot
# be used is refused with InvalidConfig and the old one stays in force.
method Reload() -> (source: string, channels: []string, holidayYears: int)

# One item, with its reminders.
method Get(key: string) -> (item: Item, warnings: ?[]string)

# Deletes an item with its reminders and their delivery log, and answers it as it was. To close
# an item and keep its history, use Acknowledge (cancelled) instead.
method Remove(key: string) -> (item: Item, warnings: ?[]string)

# Writes a consistent copy of the store to `path` while the daemon runs (SQLite's online
# backup), through a temporary file renamed into place. `path` is absolute, in a directory the
# daemon may write (its state directory, under systemd).
method Backup(path: string) -> (path: string, bytes: int)

# Marks an item submitted (a deadline), held (a meeting) or cancelled; its future reminders
# are dropped.
method Acknowledge(key: string, state: (submitted, held, cancelled), by: ?string) -> (item: Item, warnings: ?[]string)

# Imports an agenda file's text (YAML), or an iCalendar file's (it starts with BEGIN:VCALENDAR);
# `name` is used in error locations. Agenda entries are matched by key, iCalendar events by UID:
# importing the same file twice changes nothing. All or nothing: an error imports nothing.
method Import(name: string, content: string) -> (
  added: []string,
  updated: []string,
  unchanged: []string,
  plans: int,
  # Items an iCalendar import cancelled (STATUS:CANCELLED, METHOD:CANCEL).
  cancelled: ?[]string,
  # What was skipped or had no field, one line each.
  notes: ?[]string,
  # Working-day reminders that rest on holidays not announced, one line each.
  warnings: ?[]string
)

# The agenda as an iCalendar text (format "ics", the only one): every item, or those whose date
# (or a series' instance) falls from `from` to `to`.
method Export(format: ?string, from: ?string, to: ?string) -> (format: string, items: int, text: string)

# The start of each instance of an item from `from` to `to` (a whole day as `to` counts to its
# end), at most `limit` (default 1000): a series' instances, or the item's own date.
method ListInstances(key: string, from: string, to: string, limit: ?int) -> (key: string, recurrence: ?string, instances: []string)

# The reminders the daemon would send from `from` to `to` (a whole day counts to its end),
# from the same planner, sending nothing.
method Simulate(from: string, to: string) -> (reminders: []PlannedReminder)

# The holidays of a Buddhist Era year, and where the data came from.
method ListHolidays(year: int) -> (
  year: int,
  status: (announced, provisional, computed),
  source: string,
  holidays: []Holiday,
  notHolidays: ?[]NotHoliday
)

# Loads a year of holidays (the text of a holiday file), replacing that year.
method ImportHolidays(name: string, content: string) -> (year: int, holidays: int)

# Sends a sample reminder of a `kind` item (default deadline) through one channel now, with
# a key of its own, and says what happened. Nothing is stored and nothing is retried.
method TestChannel(channel: string, kind: ?(meeting, deadline)) -> (
  channel: string,
  delivered: bool,
  detail: ?string,
  error: ?string,
  milliseconds: int
)

# Reports events as they happen, one per reply; call it with `more: true` (else ExpectedMore).
# The call lasts until the client closes the connection; a client too slow to read loses the
# oldest events beyond a thousand.
method Watch() -> (event: Event)

# The latest changes made over this socket, newest first: who (uid, pid and program, from the
# kernel), when, which method, on what, and the state before and after as JSON. Only root and
# the configured group may call it, as for every method that changes something.
method Audit(limit: ?int) -> (entries: []AuditEntry)

# `input` could not be read as a date and time; `accepted` shows forms that can.
error InvalidDate (input: string, reason: string, accepted: []string)

# A lead time that is not one; `accepted` shows the forms.
error InvalidLead (lead: string, accepted: string)

# A recurrence rule (RRULE) that cannot be read, or asks for what is not supported.
error InvalidRecurrence (input: string, reason: string)

# No item has this key.
error NoSuchItem (key: string)

# The item has left `open` already.
error NotOpen (key: string, state: string)

# An item with this key exists already.
error DuplicateKey (key: string)

# An agenda or holiday file that cannot be used: where, and what is wrong.
error InvalidFile (location: string, message: string)

# No holiday data for this year.
error NoHolidayData (year: int)

# The config cannot be used: where (file:line:column) and what is wrong.
error InvalidConfig (location: string, message: string)

# No channel has this name; `known` lists those configured.
error NoSuchChannel (channel: string, known: []string)

# The store could not be read or written.
error StoreFailure (reason: string)

# An error the daemon did not expect; the journal has details.
error InternalError (reason: string)
"""#
}
