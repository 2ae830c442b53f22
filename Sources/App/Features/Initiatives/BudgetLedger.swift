import Vapor
import Fluent
import SQLKit
import Domain

/// Writes ledger entries. The check and the entry are one step: a conditional UPDATE of the budget's balance
/// (`… WHERE available_cents + change >= 0 …`) in the caller's transaction, then the entry. On PostgreSQL the
/// UPDATE takes the row lock and re-checks its condition after a concurrent grant committed; on SQLite writes
/// are serialised. Either way a budget is never overspent and its entries always sum to its balance.
enum BudgetLedger {
    /// A refused entry, as a form problem on the amount field.
    static func refusal(_ problem: Ledger.Problem, field: String = "bedrag") -> ValidationFailure {
        ValidationFailure([FieldError(field, "budget.problem.\(problem.rawValue)")])
    }

    @discardableResult
    static func record(_ kind: LedgerKind, cents: Int, budget budgetID: UUID, initiative: UUID? = nil, councilDecision: UUID? = nil,
                       reference: String, by user: User?, at now: Date, on db: any Database) async throws -> LedgerEntry {
        guard cents > 0 else { throw refusal(.notPositive) }
        if let initiative {
            // The initiative's own share: never paid more than granted, never returned more than paid.
            let entries = try await LedgerEntry.query(on: db).filter(\.$initiativeID == initiative).filter(\.$budget.$id == budgetID).all()
            let share = Ledger.sum(entries.map { ($0.kind, $0.amountCents) })
            if case .failure(let problem) = Ledger.applyToInitiative(share, kind, cents) { throw refusal(problem) }
        }
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let e = Ledger.effect(kind, cents)
        let allocated = kind == .allocated ? cents : (kind == .reduced ? -cents : 0)
        let returned = kind == .returned ? cents : 0
        let rows = try await sql.raw("""
            UPDATE area_budgets SET available_cents = available_cents + \(bind: e.available), committed_cents = committed_cents + \(bind: e.committed),
              paid_cents = paid_cents + \(bind: e.paid), allocated_cents = allocated_cents + \(bind: allocated), returned_cents = returned_cents + \(bind: returned)
            WHERE id = \(bind: budgetID) AND available_cents + \(bind: e.available) >= 0 AND committed_cents + \(bind: e.committed) >= 0
              AND paid_cents + \(bind: e.paid) >= 0
            RETURNING id
            """).all()
        guard rows.count == 1 else {
            let budget = try await AreaBudget.find(budgetID, on: db)
            guard let budget, case .failure(let problem) = Ledger.apply(budget.balance, kind, cents) else { throw refusal(.insufficientAvailable) }
            throw refusal(problem)
        }
        let entry = LedgerEntry()
        entry.$budget.id = budgetID
        entry.kind = kind
        entry.amountCents = cents
        entry.initiativeID = initiative
        entry.councilDecisionID = councilDecision
        entry.reference = reference
        entry.recordedAt = now
        entry.recordedBy = user?.id
        try await entry.create(on: db)
        return entry
    }

    /// The balance the entries add up to (for checks and the transparency page's reconciliation).
    static func sum(_ budgetID: UUID, on db: any Database) async throws -> LedgerBalance {
        Ledger.sum(try await LedgerEntry.query(on: db).filter(\.$budget.$id == budgetID).all().map { ($0.kind, $0.amountCents) })
    }
}
