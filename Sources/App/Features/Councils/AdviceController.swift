import Vapor
import Fluent
import Domain

/// The public register of advice per municipality: question, advice, answer, dates and status.
struct AdviceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("gemeenten", ":municipality", "adviezen", use: register)
    }

    struct RegisterPage: Encodable {
        struct Row: Encodable {
            var council: String
            var kind: String
            var subject: String
            var question: String?
            var asked: String?
            var advice: String?
            var given: String?
            var due: String?
            var answer: String?
            var answered: String?
            var status: String
            var statusClass: String
        }
        var page: PageMeta
        var heading: String
        var rows: [Row]
        var overdue: Int
        var demo: Bool
    }

    static func day(_ date: Date?, _ language: Language) -> String? {
        guard let date else { return nil }
        let f = DateFormatter()
        f.locale = Locale(identifier: language == .nl ? "nl_NL" : "en_GB")
        f.timeZone = TimeZone(identifier: "Europe/Amsterdam")
        f.dateFormat = "d MMMM yyyy"
        return f.string(from: date)
    }

    func register(req: Request) async throws -> View {
        let m = try await req.municipality(req.parameters.get("municipality") ?? "")
        let councils = try await Council.query(on: req.db).filter(\.$municipality.$id == m.requireID()).all()
        let names = Dictionary(uniqueKeysWithValues: councils.compactMap { c in c.id.map { ($0, c.name) } })
        let list = names.isEmpty ? [] : try await CouncilAdvice.query(on: req.db).filter(\.$council.$id ~~ Array(names.keys)).all()
        let now = req.application.clock()
        let lang = req.language
        let statuses = list.map { CouncilRules.status(of: $0.rule, now: now) }
        let rows = zip(list, statuses).sorted { ($0.1 == .answerOverdue ? 0 : 1, names[$0.0.$council.id] ?? "") < ($1.1 == .answerOverdue ? 0 : 1, names[$1.0.$council.id] ?? "") }.map { advice, status in
            RegisterPage.Row(council: names[advice.$council.id] ?? "", kind: req.t("advice.kind.\(advice.kind)"), subject: advice.subject,
                             question: advice.question, asked: Self.day(advice.askedOn, lang), advice: advice.advice, given: Self.day(advice.givenOn, lang),
                             due: advice.givenOn.map { Self.day(CouncilRules.answerDue(givenOn: $0), lang)! }, answer: advice.answer,
                             answered: Self.day(advice.answeredOn, lang), status: req.t("advice.status.\(status.rawValue)"),
                             statusClass: status == .answerOverdue ? "danger" : (status == .answered ? "success" : "neutral"))
        }
        let heading = req.t("advice.registerTitle", m.name)
        return try await req.view.render("Councils/advice", RegisterPage(
            page: req.page(heading, crumbs: [(req.t("municipality.heading", m.name), Paths.municipality(m.slug))]),
            heading: heading, rows: rows, overdue: statuses.filter { $0 == .answerOverdue }.count, demo: councils.contains { $0.demo }))
    }
}
