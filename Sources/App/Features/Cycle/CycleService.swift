import Vapor
import Fluent
import Domain

/// Writes of the area cycle: drafts and new versions, spearheads and plan items, the flow steps (consultation,
/// submission, adoption by the college, evaluation), consultation responses and their answers, "not yet".
/// Every write is one transaction with its audit line.
enum CycleService {
    /// Dutch path names of the products.
    static func slug(_ kind: CycleKind) -> String {
        switch kind { case .analysis: return "analyse"; case .agenda: return "agenda"; case .plan: return "plan"; case .monitor: return "monitor" }
    }
    static func kind(slug: String) -> CycleKind? { CycleKind.allCases.first { self.slug($0) == slug } }

    static func versions(area: UUID, kind: CycleKind, on db: any Database) async throws -> [CycleProduct] {
        try await CycleProduct.query(on: db).filter(\.$area.$id == area).filter(\.$kind == kind).sort(\.$version, .descending).all()
    }

    /// Starts a new version: a copy of the latest one's text, spearheads and plan items (the yearly adjustment keeps
    /// the history), or an empty draft. When a version is still open, that one is returned instead.
    static func startDraft(_ kind: CycleKind, area: MunicipalitySnapshot.AreaInfo, municipality m: UUID, demo: Bool = false, req: Request) async throws -> CycleProduct {
        let now = req.application.clock()
        return try await req.db.writeTransaction { db in
            let all = try await versions(area: area.id, kind: kind, on: db)
            if let open = all.first(where: { $0.status.isOpen }) { return open }
            let previous = all.first
            let product = CycleProduct()
            product.$municipality.id = m
            product.$area.id = area.id
            product.kind = kind
            product.version = (previous?.version ?? 0) + 1
            product.status = .draft
            product.title = previous?.title ?? ""
            product.summary = previous?.summary ?? ""
            product.profileDate = (kind == .analysis || kind == .monitor) ? now : nil
            product.createdAt = now
            product.updatedAt = now
            product.demo = demo
            try await product.create(on: db)
            if let previous {
                for s in try await Spearhead.query(on: db).filter(\.$product.$id == previous.requireID()).all() {
                    let copy = Spearhead()
                    copy.$product.id = try product.requireID()
                    copy.code = s.code; copy.position = s.position; copy.title = s.title; copy.why = s.why; copy.success = s.success; copy.involved = s.involved
                    copy.trackedSubject = s.trackedSubject; copy.trackedBuurt = s.trackedBuurt; copy.trackedSince = s.trackedSince
                    try await copy.create(on: db)
                }
                for i in try await PlanItem.query(on: db).filter(\.$product.$id == previous.requireID()).all() {
                    let copy = PlanItem()
                    copy.$product.id = try product.requireID()
                    copy.position = i.position; copy.title = i.title; copy.owner = i.owner; copy.projectID = i.projectID; copy.budgetID = i.budgetID
                    copy.startsOn = i.startsOn; copy.endsOn = i.endsOn; copy.budgetCents = i.budgetCents; copy.spearheads = i.spearheads; copy.progress = i.progress
                    try await copy.create(on: db)
                }
            }
            try await req.audit(.cycleDraft, .init(id: product.id?.uuidString, summary: "\(area.name): \(kind.rawValue) v\(product.version)", municipalityID: m),
                                after: ["kind": kind.rawValue, "version": String(product.version)], on: db)
            return product
        }
    }

    /// Only a draft can be edited: what was consulted or adopted stays as it was.
    static func requireDraft(_ p: CycleProduct) throws {
        guard p.status == .draft else { throw AppError(status: .conflict, key: "cycle.notDraft") }
    }

    static func editText(_ p: CycleProduct, title: String, summary: String, profileDate: Date?, req: Request) async throws {
        try requireDraft(p)
        let before = ["title": p.title, "summary": String(p.summary.prefix(200))]
        p.title = title
        p.summary = summary
        if let profileDate { p.profileDate = profileDate }
        p.updatedAt = req.application.clock()
        try await req.db.writeTransaction { db in
            try await p.update(on: db)
            try await req.audit(.cycleEdit, .init(id: p.id?.uuidString, summary: title, municipalityID: p.$municipality.id), before: before,
                                after: ["title": title, "summary": String(summary.prefix(200))], on: db)
        }
    }

    struct SpearheadInput { var title: String; var why: String; var success: String; var involved: String; var trackedSubject: String? = nil; var trackedBuurt: String? = nil }

    @discardableResult
    static func addSpearhead(_ p: CycleProduct, _ input: SpearheadInput, req: Request) async throws -> Spearhead {
        try requireDraft(p)
        guard p.kind == .agenda else { throw AppError.badRequest("cycle.spearheadOnlyAgenda") }
        return try await req.db.writeTransaction { db in
            let existing = try await Spearhead.query(on: db).filter(\.$product.$id == p.requireID()).all()
            // A double click adds it once.
            if let same = existing.first(where: { $0.title == input.title && $0.why == input.why }) { return same }
            // Codes are never reused, also not of spearheads dropped in an earlier version.
            let used = try await Spearhead.query(on: db).join(CycleProduct.self, on: \Spearhead.$product.$id == \CycleProduct.$id)
                .filter(CycleProduct.self, \.$area.$id == p.$area.id).all().compactMap { Int($0.code.dropFirst()) }
            let s = Spearhead()
            s.$product.id = try p.requireID()
            s.code = "S\((used.max() ?? 0) + 1)"
            s.position = (existing.map(\.position).max() ?? 0) + 1
            s.title = input.title; s.why = input.why; s.success = input.success; s.involved = input.involved
            s.trackedSubject = input.trackedSubject; s.trackedBuurt = input.trackedBuurt
            s.trackedSince = input.trackedSubject == nil ? nil : req.application.clock()
            try await s.create(on: db)
            try await req.audit(.cycleEdit, .init(id: p.id?.uuidString, summary: "\(s.code): \(s.title)", municipalityID: p.$municipality.id),
                                after: ["spearhead": s.code, "title": s.title], on: db)
            return s
        }
    }

    struct PlanItemInput { var title: String; var owner: String; var projectID: UUID?; var budgetID: UUID?; var starts: Date; var ends: Date; var cents: Int; var spearheads: [String] }

    static func addPlanItem(_ p: CycleProduct, _ input: PlanItemInput, req: Request) async throws {
        try requireDraft(p)
        guard p.kind == .plan else { throw AppError.badRequest("cycle.itemOnlyPlan") }
        try await req.db.writeTransaction { db in
            let items = try await PlanItem.query(on: db).filter(\.$product.$id == p.requireID()).all()
            // A double click adds it once.
            if items.contains(where: { $0.title == input.title && $0.owner == input.owner && $0.startsOn == input.starts && $0.endsOn == input.ends }) { return }
            let position = (items.map(\.position).max() ?? 0) + 1
            let item = PlanItem()
            item.$product.id = try p.requireID()
            item.position = position
            item.title = input.title; item.owner = input.owner; item.projectID = input.projectID; item.budgetID = input.budgetID
            item.startsOn = input.starts; item.endsOn = input.ends; item.budgetCents = input.cents
            item.spearheads = input.spearheads.joined(separator: ","); item.progress = ""
            try await item.create(on: db)
            try await req.audit(.cycleEdit, .init(id: p.id?.uuidString, summary: input.title, municipalityID: p.$municipality.id),
                                after: ["item": input.title, "owner": input.owner, "cents": String(input.cents)], on: db)
        }
    }

    /// Progress on a plan item: what happened so far (the monitor shows it per spearhead). Allowed on the plan in force.
    static func progress(_ item: PlanItem, text: String, product p: CycleProduct, req: Request) async throws {
        guard p.status == .draft || p.status.isAdopted else { throw AppError(status: .conflict, key: "cycle.progressOnlyInForce") }
        let before = item.progress
        item.progress = text
        try await req.db.writeTransaction { db in
            try await item.update(on: db)
            try await req.audit(.cycleEdit, .init(id: p.id?.uuidString, summary: item.title, municipalityID: p.$municipality.id), before: ["progress": before], after: ["progress": text], on: db)
        }
    }

    /// Moves a product along the flow. Adoption supersedes the earlier adopted version of the same product.
    static func step(_ p: CycleProduct, _ step: CycleFlow.Step, by actor: CycleActor, consultationEnds: Date? = nil, adoptedOn: Date? = nil,
                     text: String? = nil, req: Request) async throws {
        let now = req.application.clock()
        let consultedUntil = p.consultationEnds
        let policy = try await CycleSettings.policy(p.$municipality.id, on: req.db)
        switch CycleFlow.next(step, from: p.status, kind: p.kind, by: actor, consultedUntil: consultedUntil, consultationEnds: consultationEnds, now: now, policy: policy) {
        case .failure(let refusal):
            throw AppError(status: refusal == .notAllowed ? .forbidden : .conflict, key: "cycle.refused." + refusal.rawValue)
        case .success(let to):
            let from = p.status
            try await req.db.writeTransaction { db in
                // Conditional on the status read: two clicks at once make one step.
                let fresh = try await CycleProduct.query(on: db).filter(\.$id == p.requireID()).filter(\.$status == from).first()
                guard let fresh else { throw AppError(status: .conflict, key: "cycle.changedMeanwhile") }
                fresh.status = to
                fresh.updatedAt = now
                switch step {
                case .openConsultation: fresh.consultationEnds = consultationEnds
                case .submit: fresh.submittedAt = now
                case .sendBack: fresh.sentBackReason = text
                case .adopt:
                    fresh.adoptedOn = adoptedOn ?? now
                    fresh.decision = text
                    try await CycleProduct.query(on: db).filter(\.$area.$id == fresh.$area.id).filter(\.$kind == fresh.kind)
                        .filter(\.$id != fresh.requireID()).filter(\.$status ~~ [.adopted, .evaluated]).set(\.$status, to: .superseded).update()
                case .evaluate: fresh.evaluatedAt = now
                }
                try await fresh.update(on: db)
                try await req.audit(.cycleStep, .init(id: fresh.id?.uuidString, summary: "\(fresh.kind.rawValue) v\(fresh.version): \(step.rawValue)", municipalityID: fresh.$municipality.id),
                                    before: ["status": from.rawValue], after: ["status": to.rawValue, "text": text ?? ""], on: db)
            }
        }
    }

    static func respond(_ p: CycleProduct, signedAs: String, role: ResponseRole, text: String, req: Request) async throws {
        guard CycleFlow.acceptsResponses(status: p.status, consultationEnds: p.consultationEnds, now: req.application.clock()) else {
            throw AppError(status: .conflict, key: "cycle.consultationClosed")
        }
        let r = CycleResponse()
        r.$product.id = try p.requireID()
        r.signedAs = signedAs
        r.role = role
        r.text = text
        r.createdAt = req.application.clock()
        try await req.db.writeTransaction { db in
            try await r.create(on: db)
            try await req.audit(.cycleResponse, .init(id: p.id?.uuidString, summary: "\(p.kind.rawValue) v\(p.version): \(role.rawValue)", municipalityID: p.$municipality.id),
                                after: ["role": role.rawValue], on: db)
        }
    }

    static func answer(_ r: CycleResponse, text: String, product p: CycleProduct, req: Request) async throws {
        let before = r.answer
        r.answer = text
        r.answeredAt = req.application.clock()
        try await req.db.writeTransaction { db in
            try await r.update(on: db)
            try await req.audit(.cycleResponse, .init(id: p.id?.uuidString, summary: "\(p.kind.rawValue) v\(p.version): answer", municipalityID: p.$municipality.id),
                                before: ["answer": before ?? ""], after: ["answer": text], on: db)
        }
    }

    /// Links a signal, initiative or idea (by its code) or a council advice (by its id) of this area to a spearhead.
    static func link(area: MunicipalitySnapshot.AreaInfo, municipality m: UUID, code spearhead: String, reference raw: String, req: Request) async throws {
        let reference = raw.trimmingCharacters(in: .whitespaces)
        var found: (SpearheadLinkKind, UUID, String)? = nil
        if let s = try await Signal.query(on: req.db).filter(\.$municipality.$id == m).filter(\.$trackingCode == reference.uppercased()).first(), s.areaID == area.id {
            found = (.signal, try s.requireID(), s.trackingCode)
        } else if let i = try await Initiative.query(on: req.db).filter(\.$municipality.$id == m).filter(\.$code == reference.uppercased()).first(), i.$area.id == area.id, i.status != .draft {
            found = (.initiative, try i.requireID(), i.code + " " + i.title)
        } else if let i = try await Idea.query(on: req.db).filter(\.$municipality.$id == m).filter(\.$code == reference.uppercased()).first(), i.$area.id == area.id {
            found = (.idea, try i.requireID(), i.code + " " + i.title)
        } else if let id = UUID(uuidString: reference), let a = try await CouncilAdvice.find(id, on: req.db),
                  let council = try await Council.find(a.$council.id, on: req.db), council.$area.id == area.id {
            found = (.advice, id, a.subject)
        }
        guard let (kind, target, label) = found else { throw ValidationFailure([FieldError("verwijzing", "cycle.link.unknown", [reference])]) }
        if try await SpearheadLink.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$code == spearhead).filter(\.$kind == kind).filter(\.$targetID == target).first() != nil { return }
        let row = SpearheadLink()
        row.$area.id = area.id
        row.code = spearhead
        row.kind = kind
        row.targetID = target
        row.label = label
        row.createdAt = req.application.clock()
        try await req.db.writeTransaction { db in
            try await row.create(on: db)
            try await req.audit(.cycleEdit, .init(id: row.id?.uuidString, summary: "\(spearhead): \(kind.rawValue)", municipalityID: m), after: ["spearhead": spearhead, "kind": kind.rawValue], on: db)
        }
    }

    static func setNotYet(area: MunicipalitySnapshot.AreaInfo, municipality m: UUID, reason: String?, req: Request) async throws {
        try await req.db.writeTransaction { db in
            let existing = try await CycleNotYet.query(on: db).filter(\.$area.$id == area.id).first()
            let before = existing?.reason
            if let reason {
                let row = existing ?? CycleNotYet()
                row.$area.id = area.id
                row.reason = reason
                row.setAt = req.application.clock()
                try await row.save(on: db)
            } else {
                try await existing?.delete(on: db)
            }
            try await req.audit(.cycleNotYet, .init(id: area.id.uuidString, summary: area.name, municipalityID: m), before: ["reason": before ?? ""], after: ["reason": reason ?? ""], on: db)
        }
    }
}
