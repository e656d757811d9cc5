import DeadlineCore

/// What saving an organisation by its code did.
public enum OrganisationSave: String, Sendable, Equatable {
    /// The code was new.
    case added
    /// The code was known and some field differed; it now has the new fields.
    case updated
    /// The code was known with these very fields.
    case unchanged
}
