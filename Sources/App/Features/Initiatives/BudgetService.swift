import Vapor
import Fluent
import Domain

/// What a new budget needs, checked.
struct BudgetSetup: Sendable {
    var areaID: UUID
    var year: Int
    var kind: BudgetKind
    var name: String
    var decider: BudgetDecider
    var mandateLimitCents: Int?
    var departmentID: UUID?
    var initialCents: Int
}

enum BudgetService {
    static func read(_ values: [String: String], snapshot s: MunicipalitySnapshot, departments: [Department]) -> Result<BudgetSetup, ValidationFailure> {
        var errors: [FieldError] = []
        let area = s.area(slug: values["gebied"] ?? "")
        if area == nil { errors.append(FieldError("gebied", "initiative.areaMissing")) }
        let year = Int(values["jaar"] ?? "")
        if year == nil || !(2000...2100).contains(year!) { errors.append(FieldError("jaar", "budget.yearInvalid")) }
        let kind = BudgetKind(rawValue: values["soort"] ?? "")
        if kind == nil { errors.append(FieldError("soort", "budget.kindMissing")) }
        let name = Input.text(values["naam"], field: "naam", max: 80).collect(into: &errors)
        let decider = BudgetDecider(rawValue: values["beslisser"] ?? "")
        if decider == nil { errors.append(FieldError("beslisser", "budget.deciderMissing")) }
        let limit = decider == .coordinator ? mandate(values, errors: &errors) : nil
        var department: UUID? = nil
        if decider == .department {
            department = departments.first { $0.id?.uuidString == values["afdeling"] }?.id
            if department == nil { errors.append(FieldError("afdeling", "budget.departmentMissing")) }
        }
        let initial = Input.cents(values["bedrag"], field: "bedrag", required: false, errors: &errors) ?? 0
        guard errors.isEmpty, let area, let year, let kind, let name, let decider else { return .failure(ValidationFailure(errors)) }
        return .success(BudgetSetup(areaID: area.id, year: year, kind: kind, name: name, decider: decider, mandateLimitCents: limit, departmentID: department, initialCents: initial))
    }

    /// A coordinator's mandate per decision (the `mandaat` field): required and above zero.
    static func mandate(_ values: [String: String], errors: inout [FieldError]) -> Int? {
        Input.cents(values["mandaat"], field: "mandaat", positive: true, emptyKey: "budget.mandateMissing", errors: &errors)
    }

    /// Creates a budget and, when an amount is given, its first allocation, in one transaction.
    @discardableResult
    static func create(_ setup: BudgetSetup, municipality m: UUID, reference: String, demo: Bool = false, user: User?, req: Request) async throws -> AreaBudget {
        do {
            return try await req.db.writeTransaction { db in try await create(setup, municipality: m, reference: reference, demo: demo, user: user, req: req, on: db) }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw ValidationFailure([FieldError("naam", "budget.exists")], status: .conflict)
        }
    }

    /// The same inside the caller's transaction.
    static func create(_ setup: BudgetSetup, municipality m: UUID, reference: String, demo: Bool = false, user: User?, req: Request, on db: any Database) async throws -> AreaBudget {
        let now = req.application.clock()
        let budget = AreaBudget()
        budget.$municipality.id = m
        budget.$area.id = setup.areaID
        budget.year = setup.year
        budget.kind = setup.kind
        budget.name = setup.name
        budget.decider = setup.decider
        budget.mandateLimitCents = setup.mandateLimitCents
        budget.departmentID = setup.departmentID
        budget.allocatedCents = 0
        budget.availableCents = 0
        budget.committedCents = 0
        budget.paidCents = 0
        budget.returnedCents = 0
        budget.demo = demo
        budget.createdAt = now
        try await budget.create(on: db)
        if setup.initialCents > 0 {
            try await BudgetLedger.record(.allocated, cents: setup.initialCents, budget: budget.requireID(), reference: reference, by: user, at: now, on: db)
        }
        try await req.audit(.budgetCreate, .init(id: budget.id?.uuidString, summary: "\(budget.name) \(budget.year)", municipalityID: m),
                            after: ["name": budget.name, "year": String(budget.year), "kind": budget.kind.rawValue, "decider": budget.decider.rawValue,
                                    "mandate": budget.mandateLimitCents.map(String.init) ?? "–", "allocated": String(setup.initialCents)], on: db)
        return budget
    }

    /// Sets the budgets of a division: per area a new budget with its share, or (when the area already has a budget
    /// of that name in that year) its share added to it; all areas in one transaction.
    static func applyDivision(_ shares: [MoneyDivision.Share], template: BudgetSetup, municipality m: UUID, reference: String, user: User?, req: Request) async throws {
        try await req.db.writeTransaction { db in
            for share in shares where share.cents > 0 {
                if let existing = try await AreaBudget.query(on: db).filter(\.$area.$id == share.areaID).filter(\.$year == template.year).filter(\.$name == template.name).first() {
                    try await book(existing, kind: .allocated, cents: share.cents, reference: reference, user: user, req: req, on: db)
                } else {
                    var setup = template
                    setup.areaID = share.areaID
                    setup.initialCents = share.cents
                    _ = try await create(setup, municipality: m, reference: reference, user: user, req: req, on: db)
                }
            }
        }
    }

    /// Money into the budget or out of what is still available (a correction), with its reference.
    static func book(_ budget: AreaBudget, kind: LedgerKind, cents: Int, reference: String, user: User?, req: Request) async throws {
        guard kind == .allocated || kind == .reduced else { throw ValidationFailure([FieldError("soort", "budget.entryKindMissing")]) }
        try await req.db.writeTransaction { db in try await book(budget, kind: kind, cents: cents, reference: reference, user: user, req: req, on: db) }
    }

    static func book(_ budget: AreaBudget, kind: LedgerKind, cents: Int, reference: String, user: User?, req: Request, on db: any Database) async throws {
        let before = try await AreaBudget.find(budget.id, on: db)?.balance ?? budget.balance
        try await BudgetLedger.record(kind, cents: cents, budget: budget.requireID(), reference: reference, by: user, at: req.application.clock(), on: db)
        let after = try await AreaBudget.find(budget.id, on: db)?.balance ?? before
        try await req.audit(.budgetEntry, .init(id: budget.id?.uuidString, summary: "\(budget.name) \(budget.year): \(reference)", municipalityID: budget.$municipality.id),
                            before: ["allocated": String(before.allocated), "available": String(before.available)],
                            after: ["allocated": String(after.allocated), "available": String(after.available)], on: db)
    }
}
