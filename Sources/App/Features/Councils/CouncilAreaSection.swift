import Vapor
import Fluent
import Domain

/// The council block of the public area page: the council with its next meetings and the six-meetings rule,
/// or the area's alternative form of participation.
struct CouncilAreaSection: AreaPageSection {
    struct Context: Encodable {
        var council: CouncilSummary?
        var alternative: String?
        var councilHref: String
        var adviceHref: String
        var calendarHref: String
    }

    func html(_ context: AreaPageContext, req: Request) async throws -> String? {
        let m = context.municipality, a = context.area
        let council = try await CouncilSummary.load(area: a.id, municipalitySlug: m.slug, areaSlug: a.slug, req: req)
        let alternative = try await AlternativeParticipation.query(on: req.db).filter(\.$area.$id == a.id).first().map { alt in
            req.t("membership.alternativePublic", alt.text, Format.day(alt.since, req.language))
        }
        guard council != nil || alternative != nil else { return nil }
        return try await req.renderHTML("Councils/area-section", Context(
            council: council, alternative: alternative, councilHref: Site.areaCouncil.link(m.slug, a.slug),
            adviceHref: Site.adviceRegister.link(m.slug) + "?gebied=" + a.slug, calendarHref: Site.meetings.link(m.slug)))
    }
}
