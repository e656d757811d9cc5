import DeadlineCore
import Foundation
import HeapModule

/// Pending occurrences ordered by instant (then id, so equal instants fire in the order they
/// were stored), with removal by id.
///
/// Removal is lazy: the id leaves `live` at once and its heap entry is dropped when it comes
/// to the top, so removing is O(1) and the heap never needs a search. When dead entries
/// outnumber live ones the heap is rebuilt, so memory stays bounded by the live count.
struct DueHeap {
    struct Entry: Comparable {
        let fireAt: Date
        let id: Int64
        static func < (a: Entry, b: Entry) -> Bool {
            (a.fireAt, a.id) < (b.fireAt, b.id)
        }
    }

    private var heap = Heap<Entry>()
    private var live: [Int64: Date] = [:]

    init() {}

    /// All at once: O(n) heapify instead of n inserts, for the million rows of a start.
    init(_ entries: [(id: Int64, fireAt: Date)]) {
        live.reserveCapacity(entries.count)
        for e in entries { live[e.id] = e.fireAt }
        heap = Heap(entries.map { Entry(fireAt: $0.fireAt, id: $0.id) })
    }

    var count: Int { live.count }
    var isEmpty: Bool { live.isEmpty }

    /// Adds an occurrence, or moves it if its id is already here.
    mutating func insert(id: Int64, fireAt: Date) {
        live[id] = fireAt
        heap.insert(Entry(fireAt: fireAt, id: id))
        compactIfSparse()
    }

    @discardableResult
    mutating func remove(id: Int64) -> Bool {
        guard live.removeValue(forKey: id) != nil else { return false }
        compactIfSparse()
        return true
    }

    func contains(id: Int64) -> Bool { live[id] != nil }

    /// The soonest live entry.
    mutating func head() -> Entry? {
        while let top = heap.min {
            if live[top.id] == top.fireAt { return top }
            heap.removeMin() // removed, or superseded by a later insert of the same id
        }
        return nil
    }

    /// Removes and returns every live entry due at or before `now`, soonest first.
    mutating func popDue(now: Date, limit: Int = .max) -> [Entry] {
        var out: [Entry] = []
        while out.count < limit, let top = head(), top.fireAt <= now {
            heap.removeMin()
            live.removeValue(forKey: top.id)
            out.append(top)
        }
        return out
    }

    private mutating func compactIfSparse() {
        guard heap.count > 1024, heap.count > 2 * live.count else { return }
        heap = Heap(live.map { Entry(fireAt: $0.value, id: $0.key) })
    }
}
