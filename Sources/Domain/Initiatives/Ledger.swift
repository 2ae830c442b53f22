import Foundation

/// The ledger of an area budget (domain.md §4): every euro moves by an entry, and the amount still available
/// never goes below zero. A budget's balance is the sum of its entries; the database keeps the same balance on
/// the budget's row and changes it with a conditional update in the transaction that writes the entry
/// (`UPDATE … WHERE available_cents >= amount`), so concurrent grants cannot overspend it.
public enum LedgerKind: String, CaseIterable, Codable, Sendable {
    /// Money put into the budget (the council's or the college's decision to make it available).
    case allocated
    /// Money taken out of the budget before anything was committed (a correction or a cut).
    case reduced
    /// A grant: money reserved for an initiative.
    case committed
    /// Money paid out to the initiators, from what was committed.
    case paid
    /// A commitment that will not be paid (withdrawn, or granted more than was needed): back to available.
    case released
    /// Paid money that was not spent and came back after the accounting: back to available.
    case returned
}

public struct LedgerBalance: Hashable, Sendable, Codable {
    public var allocated = 0
    public var available = 0
    public var committed = 0
    public var paid = 0
    public var returned = 0
    public init(allocated: Int = 0, available: Int = 0, committed: Int = 0, paid: Int = 0, returned: Int = 0) {
        self.allocated = allocated
        self.available = available
        self.committed = committed
        self.paid = paid
        self.returned = returned
    }

    /// Two balances together (several budgets of an area, all areas of a municipality).
    public static func + (a: LedgerBalance, b: LedgerBalance) -> LedgerBalance {
        LedgerBalance(allocated: a.allocated + b.allocated, available: a.available + b.available, committed: a.committed + b.committed,
                      paid: a.paid + b.paid, returned: a.returned + b.returned)
    }

    /// What was spent for good: paid out and not returned.
    public var spent: Int { paid }
}

public enum Ledger {
    public enum Problem: String, Error, Sendable {
        case notPositive, insufficientAvailable, insufficientCommitted, insufficientPaid
    }

    /// How an entry moves money between the columns of a balance: (available, committed, paid).
    public static func effect(_ kind: LedgerKind, _ cents: Int) -> (available: Int, committed: Int, paid: Int) {
        switch kind {
        case .allocated: return (cents, 0, 0)
        case .reduced: return (-cents, 0, 0)
        case .committed: return (-cents, cents, 0)
        case .paid: return (0, -cents, cents)
        case .released: return (cents, -cents, 0)
        case .returned: return (cents, 0, -cents)
        }
    }

    /// The balance after one more entry, or why the entry cannot be made. Nothing ever goes below zero:
    /// not the available money, not what is committed and not what was paid.
    public static func apply(_ balance: LedgerBalance, _ kind: LedgerKind, _ cents: Int) -> Result<LedgerBalance, Problem> {
        guard cents > 0 else { return .failure(.notPositive) }
        let e = effect(kind, cents)
        var next = balance
        next.available += e.available
        next.committed += e.committed
        next.paid += e.paid
        if kind == .allocated { next.allocated += cents }
        if kind == .reduced { next.allocated -= cents }
        if kind == .returned { next.returned += cents }
        if next.available < 0 { return .failure(.insufficientAvailable) }
        if next.committed < 0 { return .failure(.insufficientCommitted) }
        if next.paid < 0 { return .failure(.insufficientPaid) }
        return .success(next)
    }

    /// The balance of a list of entries in order, stopping at the first that is not allowed.
    public static func replay(_ entries: [(LedgerKind, Int)]) -> Result<LedgerBalance, Problem> {
        var balance = LedgerBalance()
        for (kind, cents) in entries {
            switch apply(balance, kind, cents) {
            case .success(let next): balance = next
            case .failure(let problem): return .failure(problem)
            }
        }
        return .success(balance)
    }

    /// What entries add up to, in any order (the balance a budget's row must show).
    public static func sum(_ entries: [(LedgerKind, Int)]) -> LedgerBalance {
        var b = LedgerBalance()
        for (kind, cents) in entries {
            let e = effect(kind, cents)
            b.available += e.available
            b.committed += e.committed
            b.paid += e.paid
            if kind == .allocated { b.allocated += cents }
            if kind == .reduced { b.allocated -= cents }
            if kind == .returned { b.returned += cents }
        }
        return b
    }

    /// The same rules for one initiative's share of a budget: what was committed to it, paid to it and came back.
    /// An initiative never receives more than was granted and never returns more than it was paid.
    public static func applyToInitiative(_ balance: LedgerBalance, _ kind: LedgerKind, _ cents: Int) -> Result<LedgerBalance, Problem> {
        guard kind != .allocated && kind != .reduced else { return .failure(.notPositive) }
        // An initiative has no money of its own available: give it an unlimited "available" for the check.
        var widened = balance
        widened.available = Int.max / 4
        return apply(widened, kind, cents).map { var b = $0; b.available = 0; return b }
    }
}
