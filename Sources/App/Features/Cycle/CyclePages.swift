import Vapor
import Fluent
import Domain

/// What the cycle's pages show: per product the version that counts and how old it is against its cadence,
/// the open version, and per version its content, history, consultation and the actions the reader may take.
enum CyclePages {
    struct Freshness: Encodable { var label: String; var cssClass: String; var outdated: Bool }

    static func freshness(_ req: Request, kind: CycleKind, adopted: CycleProduct?, notYet: String?, now: Date, policy: CyclePolicy) -> Freshness {
        let lang = req.language
        switch CycleFreshness.of(adoptedOn: adopted?.adoptedOn, cadenceMonths: policy.months(kind), notYet: kind == .agenda && notYet != nil, now: now, calendar: DutchTime.calendar) {
        case .missing: return .init(label: req.t("cycle.fresh.missing"), cssClass: "neutral", outdated: false)
        case .notYet: return .init(label: req.t("cycle.fresh.notYet"), cssClass: "neutral", outdated: false)
        case .current(let until): return .init(label: req.t("cycle.fresh.current", Format.day(until, lang)), cssClass: "success", outdated: false)
        case .outdated(let since): return .init(label: req.t("cycle.fresh.outdated", Format.day(since, lang)), cssClass: "danger", outdated: true)
        }
    }

    /// "Elk jaar", "Eens per 4 jaar", "2 keer per jaar", "Elke 18 maanden".
    static func cadence(_ req: Request, _ months: Int) -> String {
        if months == 12 { return req.t("cycle.cadence.yearly") }
        if months % 12 == 0 { return req.t("cycle.cadence.years", String(months / 12)) }
        if months < 12 && 12 % months == 0 { return req.t("cycle.cadence.perYear", String(12 / months)) }
        return req.t("cycle.cadence.months", String(months))
    }

    struct ProductSummary: Encodable {
        var kind: String; var name: String; var cadence: String; var freshness: Freshness
        var adoptedHref: String?; var adoptedTitle: String?; var adoptedLine: String?
        var openHref: String?; var openLine: String?
        var startValue: String
    }

    static func statusLine(_ req: Request, _ p: CycleProduct) -> String {
        let lang = req.language
        switch p.status {
        case .consultation: return req.t("cycle.statusLine.consultation", p.consultationEnds.map { Format.day($0.addingTimeInterval(-1), lang) } ?? "")
        case .adopted, .evaluated, .superseded: return req.t("cycle.statusLine.\(p.status.rawValue)", p.adoptedOn.map { Format.day($0, lang) } ?? "")
        default: return req.t("cycle.status." + p.status.rawValue)
        }
    }

    /// The four products of an area at a glance (also for the area page and the municipality page).
    static func summaries(_ req: Request, _ s: MunicipalitySnapshot, _ area: MunicipalitySnapshot.AreaInfo, products: [CycleProduct], notYet: String?, staff: Bool,
                          policy: CyclePolicy) -> [ProductSummary] {
        let now = req.application.clock()
        return CycleKind.allCases.map { kind in
            let mine = products.filter { $0.kind == kind }.sorted { $0.version > $1.version }
            let adopted = mine.first { $0.status.isAdopted }
            let open = mine.first { $0.status.isOpen && ($0.status.isPublic || staff) }
            let link = { (p: CycleProduct) in Site.cycleProduct.link(s.slug, area.slug, CycleService.slug(kind), String(p.version)) }
            return ProductSummary(kind: kind.rawValue, name: req.t("cycle.kind." + kind.rawValue), cadence: cadence(req, policy.months(kind)),
                                  freshness: freshness(req, kind: kind, adopted: adopted, notYet: notYet, now: now, policy: policy),
                                  adoptedHref: adopted.map(link), adoptedTitle: adopted.map { $0.title.isEmpty ? req.t("cycle.kind." + kind.rawValue) : $0.title },
                                  adoptedLine: adopted.map { statusLine(req, $0) + " · " + req.t("cycle.versionN", String($0.version)) },
                                  openHref: open.map(link), openLine: open.map { statusLine(req, $0) + " · " + req.t("cycle.versionN", String($0.version)) },
                                  startValue: kind.rawValue)
        }
    }

    struct AreaRow: Encodable { var area: String; var href: String; var products: [CyclePages.ProductSummary] }

    /// Every area of the municipality with its products at a glance (the overview page and the municipality page's
    /// section), and whether the municipality has any cycle at all.
    static func municipalityRows(_ req: Request, _ s: MunicipalitySnapshot) async throws -> (rows: [AreaRow], any: Bool) {
        let products = try await CycleProduct.query(on: req.db).filter(\.$municipality.$id == s.id).filter(\.$status != .draft).all()
        let notYet = Dictionary(try await CycleNotYet.query(on: req.db).join(Area.self, on: \CycleNotYet.$area.$id == \Area.$id)
            .filter(Area.self, \.$municipality.$id == s.id).all().map { ($0.$area.id, $0.reason) }, uniquingKeysWith: { a, _ in a })
        let policy = try await CycleSettings.policy(s.id, on: req.db)
        let rows = s.areas.map { area in
            AreaRow(area: area.name, href: Site.areaCycle.link(s.slug, area.slug),
                    products: summaries(req, s, area, products: products.filter { $0.$area.id == area.id }, notYet: notYet[area.id], staff: false, policy: policy))
        }
        return (rows, !products.isEmpty || !notYet.isEmpty)
    }
}
