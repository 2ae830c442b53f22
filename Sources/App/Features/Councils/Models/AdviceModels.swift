import Vapor
import Fluent
import Domain

/// A council's advice to the college: asked for (requested) or on its own initiative (unsolicited), and the
/// college's answer, which is due within a term (default 6 weeks) after the advice is given.
final class CouncilAdvice: Model, @unchecked Sendable {
    static let schema = "council_advice"
    @ID(key: .id) var id: UUID?
    @Parent(key: "council_id") var council: Council
    @Enum(key: "kind") var kind: CouncilRules.AdviceKind
    @Field(key: "subject") var subject: String
    @OptionalField(key: "question") var question: String?
    @OptionalField(key: "asked_on") var askedOn: Date?
    @OptionalField(key: "wanted_by") var wantedBy: Date?
    @OptionalField(key: "advice") var advice: String?
    @OptionalField(key: "given_on") var givenOn: Date?
    @OptionalField(key: "answer") var answer: String?
    @OptionalField(key: "answered_on") var answeredOn: Date?
    /// The council's decision that adopted this advice.
    @OptionalField(key: "decision_id") var decisionID: UUID?
    /// The version of an area agenda or plan (or other cycle product) this advice is about.
    @OptionalField(key: "cycle_product_id") var cycleProductID: UUID?
    init() {}

    struct Snapshot: Codable { var council: UUID; var kind: String; var subject: String; var question: String?; var askedOn: String?; var wantedBy: String?
                               var advice: String?; var givenOn: String?; var answer: String?; var answeredOn: String? }
    /// What the audit log keeps of it (dates as days).
    var snapshot: Snapshot {
        Snapshot(council: $council.id, kind: kind.rawValue, subject: subject, question: question, askedOn: askedOn.map(Format.isoDay), wantedBy: wantedBy.map(Format.isoDay),
                 advice: advice, givenOn: givenOn.map(Format.isoDay), answer: answer, answeredOn: answeredOn.map(Format.isoDay))
    }

    var rule: CouncilRules.Advice {
        CouncilRules.Advice(askedOn: askedOn, preparationStarted: kind == .requested && askedOn != nil, givenOn: givenOn, answeredOn: answeredOn)
    }
}

/// Invented advice for the demo councils, in every state of the register.
enum AdviceDemoSeeder {
    static func seed(on db: any Database, now: Date) async throws {
        guard try await CouncilAdvice.query(on: db).count() == 0 else { return }
        let councils = try await Council.query(on: db).filter(\.$demo == true).sort(\.$name).all()
        let day: Double = 24 * 3600
        let subjects: [(CouncilRules.AdviceKind, String)] = [(.requested, "Herinrichting van het dorpsplein"), (.unsolicited, "Verkeersveiligheid rond de basisschool"),
                        (.requested, "Plaatsing van extra afvalbakken"), (.unsolicited, "Meer groen in de straten"),
                        (.requested, "Openingstijden van het wijkcentrum")]
        for (index, council) in councils.enumerated() {
            let (kind, subject) = subjects[index % subjects.count]
            let advice = CouncilAdvice()
            advice.$council.id = try council.requireID()
            advice.kind = kind
            advice.subject = subject
            if kind == .requested {
                advice.question = "Wat vindt de raad van de plannen voor: \(subject.lowercased())?"
                advice.askedOn = now.addingTimeInterval(-Double(90 + index * 3) * day)
                advice.wantedBy = now.addingTimeInterval(-Double(50 + index) * day)
            }
            switch index % 4 {
            case 0: // given and answered in time
                advice.advice = "De raad adviseert positief, met aandacht voor de wensen van de bewoners."
                advice.givenOn = now.addingTimeInterval(-Double(70) * day)
                advice.answer = "Het college neemt het advies over."
                advice.answeredOn = now.addingTimeInterval(-Double(40) * day)
            case 1: // given, answer overdue
                advice.advice = "De raad vraagt het college om eerst met de bewoners te praten."
                advice.givenOn = now.addingTimeInterval(-Double(60) * day)
            case 2: // given recently, answer not yet due
                advice.advice = "De raad steunt het plan als de kosten duidelijk zijn."
                advice.givenOn = now.addingTimeInterval(-Double(10) * day)
            default: // asked, in preparation
                break
            }
            try await advice.create(on: db)
        }
    }
}

/// Late answers escalate like late signals: the municipality's ladder from the answer's due date, with the
/// roles that have an area (the coordinator, the area manager, the alderman); each level once, by mail.
final class AdviceEscalation: Model, @unchecked Sendable {
    static let schema = "advice_escalations"
    @ID(key: .id) var id: UUID?
    @Parent(key: "advice_id") var advice: CouncilAdvice
    @Field(key: "level") var level: Int
    @Enum(key: "role") var role: Role
    @Field(key: "at") var at: Date
    init() {}
}
