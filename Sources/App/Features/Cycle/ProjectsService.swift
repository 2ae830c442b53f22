import Vapor
import Fluent
import Domain

/// Departments' and partners' area-oriented projects and the linking opportunities between them.
enum ProjectsService {
    struct ProjectInput: Sendable {
        var title: String; var text: String; var departmentID: UUID?; var partner: String?; var areas: [UUID]; var neighbourhoods: [UUID]
        var starts: Date; var ends: Date; var cents: Int; var contact: String; var status: ProjectStatus; var spearheads: [String]
    }

    /// Reads a project from a form (or a CSV row: the same names). Buurten are given by CBS code or name, areas by slug.
    static func read(_ v: [String: String], areaSlugs: [String], snapshot s: MunicipalitySnapshot, departments: [Department], fixedDepartment: UUID?) -> Result<ProjectInput, ValidationFailure> {
        var errors: [FieldError] = []
        let title = Input.text(v["titel"], field: "titel", max: 200).collect(into: &errors)
        let text = Input.text(v["omschrijving"], field: "omschrijving", max: 4000, required: false).collect(into: &errors) ?? ""
        var department: UUID? = fixedDepartment
        var partner: String? = nil
        if fixedDepartment == nil {
            let raw = (v["afdeling"] ?? "").trimmingCharacters(in: .whitespaces)
            department = departments.first { $0.id?.uuidString == raw || $0.name.lowercased() == raw.lowercased() }?.id
            partner = Input.text(v["partner"], field: "partner", max: 200, required: false).collect(into: &errors)
            if partner?.isEmpty ?? true { partner = nil }
            if department == nil && partner == nil { errors.append(FieldError("afdeling", raw.isEmpty ? "project.ownerMissing" : "project.departmentUnknown", [raw])) }
        }
        var areas: [UUID] = []
        for slug in areaSlugs where !slug.isEmpty {
            if let a = s.area(slug: slug) ?? s.areas.first(where: { $0.id.uuidString == slug || $0.name.lowercased() == slug.lowercased() }) { areas.append(a.id) }
            else { errors.append(FieldError("gebieden", "project.areaUnknown", [slug])) }
        }
        if areaSlugs.allSatisfy(\.isEmpty) { errors.append(FieldError("gebieden", "project.areaMissing")) }
        var neighbourhoods: [UUID] = []
        for raw in (v["buurten"] ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !raw.isEmpty {
            if let n = s.neighbourhoods.first(where: { $0.code.lowercased() == raw.lowercased() || $0.name.lowercased() == raw.lowercased() }) {
                neighbourhoods.append(n.id)
                if let a = n.areaID, !areas.contains(a) { areas.append(a) }
            } else { errors.append(FieldError("buurten", "project.buurtUnknown", [raw])) }
        }
        let starts = Input.day(v["van"], field: "van", errors: &errors)
        let ends = Input.day(v["tot"], field: "tot", errors: &errors)
        if (v["van"] ?? "").isEmpty { errors.append(FieldError("van", "cycle.dateMissing")) }
        if (v["tot"] ?? "").isEmpty { errors.append(FieldError("tot", "cycle.dateMissing")) }
        if let starts, let ends, ends < starts { errors.append(FieldError("tot", "cycle.endsBeforeStart")) }
        let cents = Input.cents(v["bedrag"], field: "bedrag", required: false, errors: &errors) ?? 0
        let contact = Input.text(v["contact"], field: "contact", max: 200).collect(into: &errors)
        let rawStatus = (v["status"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let dutch: [String: ProjectStatus] = ["gepland": .planned, "loopt": .running, "klaar": .done, "gestopt": .cancelled]
        let status = rawStatus.isEmpty ? .planned : (ProjectStatus(rawValue: rawStatus) ?? dutch[rawStatus])
        if status == nil { errors.append(FieldError("status", "project.statusUnknown", [v["status"] ?? ""])) }
        let spearheads = (v["speerpunten"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map { String($0).uppercased() }
        if let bad = spearheads.first(where: { $0.wholeMatch(of: /S[0-9]{1,3}/) == nil }) { errors.append(FieldError("speerpunten", "cycle.spearheadUnknown", [bad])) }
        guard errors.isEmpty, let title, let starts, let ends, let contact, let status else { return .failure(ValidationFailure(errors)) }
        return .success(ProjectInput(title: title, text: text, departmentID: department, partner: partner, areas: areas, neighbourhoods: neighbourhoods,
                              starts: starts, ends: DutchTime.calendar.date(byAdding: .day, value: 1, to: ends)!.addingTimeInterval(-1), cents: cents,
                              contact: contact, status: status, spearheads: spearheads))
    }

    static func make(_ input: ProjectInput, municipality m: UUID, now: Date, demo: Bool = false) -> AreaProject {
        let p = AreaProject()
        p.$municipality.id = m
        p.$department.id = input.departmentID
        p.partner = input.partner
        p.title = input.title
        p.text = input.text
        p.areaIDs = input.areas.map(\.uuidString).joined(separator: ",")
        p.neighbourhoodIDs = input.neighbourhoods.map(\.uuidString).joined(separator: ",")
        p.startsOn = input.starts
        p.endsOn = input.ends
        p.budgetCents = input.cents
        p.contact = input.contact
        p.status = input.status
        p.spearheads = input.spearheads.joined(separator: ",")
        p.createdAt = now
        p.demo = demo
        return p
    }

    /// Saves projects (one from the form, or every row of an import) in one transaction with one audit line each.
    @discardableResult
    static func create(_ inputs: [ProjectInput], municipality m: UUID, by client: String? = nil, req: Request) async throws -> [AreaProject] {
        let now = req.application.clock()
        return try await req.db.writeTransaction { db in
            var made: [AreaProject] = []
            for input in inputs {
                let p = make(input, municipality: m, now: now)
                try await p.create(on: db)
                try await req.audit(.projectCreate, .init(id: p.id?.uuidString, summary: (client.map { $0 + ": " } ?? "") + p.title, municipalityID: m),
                                    after: ["title": p.title, "areas": p.areaIDs, "from": Format.isoDay(p.startsOn), "to": Format.isoDay(p.endsOn)], on: db)
                made.append(p)
            }
            return made
        }
    }

    /// Spearhead codes that no agenda of the project's areas has (in any version).
    static func unknownSpearheads(_ input: ProjectInput, on db: any Database) async throws -> [String] {
        guard !input.spearheads.isEmpty else { return [] }
        let known = Set(try await Spearhead.query(on: db).join(CycleProduct.self, on: \Spearhead.$product.$id == \CycleProduct.$id)
            .filter(CycleProduct.self, \.$area.$id ~~ input.areas).all().map(\.code))
        return input.spearheads.filter { !known.contains($0) }
    }

    /// The owner as shown: the department's name or the partner's.
    static func owner(_ p: AreaProject, departments: [UUID: String]) -> String {
        p.$department.id.flatMap { departments[$0] } ?? p.partner ?? "–"
    }

    /// Linking opportunities among the municipality's running and planned projects (and the plans' own actions are
    /// not projects: they are listed in the plan). Spearhead codes count per area.
    /// At most this many are shown (a register of thousands of overlapping projects would otherwise list millions).
    static let opportunityLimit = 500

    static func opportunities(_ projects: [AreaProject], departments: [UUID: String]) -> [LinkingOpportunities.Match] {
        LinkingOpportunities.find(projects.filter { $0.status == .planned || $0.status == .running }.map { p in
            .init(id: p.id!, owner: owner(p, departments: departments), areas: p.areas, neighbourhoods: p.neighbourhoods, start: p.startsOn, end: p.endsOn,
                  spearheads: Set(p.spearheads.split(separator: ",").flatMap { code in p.areas.map { "\($0.uuidString):\(code)" } }))
        }, limit: opportunityLimit)
    }
}
