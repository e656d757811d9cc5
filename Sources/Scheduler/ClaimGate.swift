import DeadlineStore

/// What a channel lane asks just before each send: whether the send may start. `next` is the
/// occurrence and those its batch sends after it, so that one question can cover them all.
protocol SendGate: Sendable {
    func mayStart(_ id: Int64, next: ArraySlice<Int64>) -> Bool
}

/// On a shared store a send starts only under a claim this node still holds: its lease has
/// more than the margin left by this node's clock, and the database showed its token within
/// the last `ClaimBook.confirmation`. When that word is old, one query re-checks the claims of
/// the rest of the batch, so a burst costs a query per batch, not per reminder.
struct ClaimGate: SendGate {
    let claims: ClaimBook
    let store: any Store

    func mayStart(_ id: Int64, next: ArraySlice<Int64>) -> Bool {
        guard claims.mayStillSend(id) != nil else { return false }
        if claims.mayStillSend(id, confirmed: true) != nil { return true }
        let asking = claims.unconfirmed(next)
        let asked = ContinuousClock.now
        guard let held = try? store.holding(asking, margin: claims.marginSeconds) else { return false }
        claims.confirmed(asking, held: Set(held), at: asked)
        // Read again after the answer: a process stopped while it was on its way must not act
        // on it when it resumes (the monotonic clock runs on while a process is stopped).
        return claims.mayStillSend(id, confirmed: true) != nil
    }
}
