// The IDL served by GetInterfaceDescription. It is a copy of io.deadlined.varlink beside this
// file, embedded so that an installed binary needs no resource bundle; a test keeps the two equal.
enum InterfaceDefinition {
    static let ioDeadlined = #"""
# The control interface of deadlined: a daemon that keeps an office's meetings and
# submission due dates and reminds people before each one.
#
# Instants are ISO 8601 strings with an offset, e.g. 2017-05-16T14:00:00+07:00.
interface io.deadlined

# One reminder of an item.
type Reminder (
  id: int,
  fireAt: string,
  state: (pending, firing, delivered),
  attempts: int
)

# A meeting to attend or a deadline to meet.
type Item (
  id: int,
  kind: (meeting, deadline),
  title: string,
  at: string,
  timeZone: string,
  location: ?string,
  notes: ?string,
  reminders: []Reminder
)

# The daemon's health and workload.
method Status() -> (
  version: string,
  uptimeSeconds: int,
  store: string,
  items: int,
  pending: int,
  firing: int,
  delivered: int,
  nextReminder: ?string,
  watchdogUsec: int
)

# Adds an item. An `at` without an offset is read in `timeZone`, which defaults to the
# daemon's configured zone.
method AddItem(
  kind: (meeting, deadline),
  title: string,
  at: string,
  timeZone: ?string,
  location: ?string,
  notes: ?string
) -> (item: Item)

# Every item, soonest first.
method ListItems() -> (items: []Item)

# `input` could not be read as a date and time; `accepted` shows forms that can.
error InvalidDate (input: string, reason: string, accepted: []string)

# The store could not be read or written.
error StoreFailure (reason: string)

# An error the daemon did not expect; the journal has details.
error InternalError (reason: string)
"""#
}
