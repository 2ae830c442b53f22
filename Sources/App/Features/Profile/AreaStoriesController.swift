import Vapor
import Fluent
import Domain

/// The village's own view (dorpsspiegel, Opsterland in seed 001): residents and the area council tell what goes
/// well and what could be better, with photos. A resident's story is public once the coordinator has read it
/// (nothing about the writer is kept but the name they chose to show); the council's is public at once.
struct AreaStoriesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let open = routes.access(.public)
        open.get(Site.areaStoryNew.route, use: form)
        open.on(.POST, Site.areaStoryNew.route, body: .collect(maxSize: "20mb"), use: post).maxBody("20mb")
        open.get(Site.areaStoryPhoto.route, use: photo)
        routes.access(.action(.coordinateArea)).post(Site.areaStoryReview.route, use: review)
    }

    struct StoryView: Encodable {
        var id: String; var signedAs: String; var byCouncil: Bool; var date: String; var iso: String
        var goesWell: String?; var couldBeBetter: String?; var photos: [Photo]; var waiting: Bool; var reviewAction: String?
        struct Photo: Encodable { var src: String; var alt: String }
    }

    /// Whether the signed-in user speaks for the area's council (they may publish as the council at once).
    private static func speaksForCouncil(_ req: Request, _ s: MunicipalitySnapshot, _ area: MunicipalitySnapshot.AreaInfo) async -> Bool {
        guard req.authUser != nil, let actor = try? await req.actor(), actor.role == .councilMember else { return false }
        return Permissions.allows(actor, .giveAdvice(municipality: s.id, area: area.id))
    }

    /// The stories the profile shows at a date: published ones for everyone; for the area's coordinator also those
    /// waiting to be read, with the buttons to publish or reject.
    static func stories(_ req: Request, _ s: MunicipalitySnapshot, _ area: MunicipalitySnapshot.AreaInfo, at: Date, coordinator: Bool) async throws -> [StoryView] {
        // Every story that waits (oldest first, so none drops out of sight), then the 30 newest published ones.
        let waiting = coordinator ? try await AreaStory.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$status == .waiting)
            .sort(\.$createdAt).limit(500).all() : []
        let published = try await AreaStory.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$createdAt <= at).filter(\.$status == .published)
            .sort(\.$createdAt, .descending).limit(30).all()
        let stories = waiting + published
        let ids = stories.compactMap(\.id)
        let photos = ids.isEmpty ? [] : try await AreaStoryPhoto.query(on: req.db).filter(\.$story.$id ~~ ids).sort(\.$position).all()
        let lang = req.language
        var out: [StoryView] = []
        for story in stories {
            let id = story.id!.uuidString
            let name = Self.signature(req, story)
            let mine: [StoryView.Photo] = photos.filter { $0.$story.id == story.id }.map { p in
                StoryView.Photo(src: Site.areaStoryPhoto.link(s.slug, area.slug, id, String(p.position)), alt: req.t("story.photoAlt", String(p.position), name))
            }
            let waiting = story.status == .waiting
            out.append(StoryView(id: id, signedAs: name, byCouncil: story.authorKind == .council, date: Format.day(story.createdAt, lang), iso: Format.isoDate(story.createdAt),
                                 goesWell: story.goesWell.isEmpty ? nil : PersonalData.masked(story.goesWell),
                                 couldBeBetter: story.couldBeBetter.isEmpty ? nil : PersonalData.masked(story.couldBeBetter),
                                 photos: mine, waiting: waiting, reviewAction: waiting ? Site.areaStoryReview.link(s.slug, area.slug, id) : nil))
        }
        return out
    }

    private static func signature(_ req: Request, _ story: AreaStory) -> String {
        story.signedAs.isEmpty ? req.t(story.authorKind == .council ? "story.byCouncil" : "story.byResident") : story.signedAs
    }

    struct FormPage: Encodable { var page: PageMeta; var heading: String; var intro: String; var form: FormView; var back: String; var privacy: String }

    private func formPage(_ req: Request, _ s: MunicipalitySnapshot, _ area: MunicipalitySnapshot.AreaInfo, values: [String: String], errors: [FieldError], council: Bool) -> FormPage {
        let heading = req.t("story.new.title", area.name)
        var fields = [
            FieldView(req, name: "goed", label: req.t("story.field.goesWell"), type: "textarea", value: values["goed"] ?? "", description: req.t("story.field.goesWellHelp"), optional: true, errors: errors),
            FieldView(req, name: "beter", label: req.t("story.field.couldBeBetter"), type: "textarea", value: values["beter"] ?? "", description: req.t("story.field.couldBeBetterHelp"), optional: true, errors: errors),
            FieldView(req, name: "naam", label: req.t("story.field.signedAs"), value: values["naam"] ?? "",
                      description: req.t(council ? "story.field.signedAsCouncilHelp" : "story.field.signedAsHelp"), optional: true, errors: errors),
        ]
        fields += PhotoFields.fields(req, count: AreaStoryRules.maxPhotos, labelKey: "story.field.photo", helpKey: "story.field.photoHelp", errors: errors)
        if !council { fields.append(ReachCounter.field(req, value: values[ReachCounter.fieldName])) }
        return FormPage(page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (area.name, Site.area.link(s.slug, area.slug)),
                                                                            (req.t("profile.short"), Site.areaProfile.link(s.slug, area.slug))], errors: errors),
                        heading: heading, intro: req.t(council ? "story.new.introCouncil" : "story.new.intro"),
                        form: FormView(action: Site.areaStoryNew.link(s.slug, area.slug), submitLabel: req.t("story.new.submit"), fields: fields, csrf: req.csrfToken(), showRequiredNote: false),
                        back: Site.areaProfile.link(s.slug, area.slug) + "#verhalen", privacy: req.t(council ? "story.new.privacyCouncil" : "story.new.privacy"))
    }

    func form(req: Request) async throws -> Response {
        let (s, area) = try await req.areaFromPath()
        return try await req.render("Profile/story-form", formPage(req, s, area, values: [:], errors: [], council: await Self.speaksForCouncil(req, s, area)))
    }

    func post(req: Request) async throws -> Response {
        let (s, area) = try await req.areaFromPath()
        let council = await Self.speaksForCouncil(req, s, area)
        let parts = FormParts.read(req)
        let values = parts.values
        var errors: [FieldError] = []
        let goesWell = Input.text(values["goed"], field: "goed", max: AreaStoryRules.maxText, required: false).collect(into: &errors) ?? ""
        let couldBeBetter = Input.text(values["beter"], field: "beter", max: AreaStoryRules.maxText, required: false).collect(into: &errors) ?? ""
        let signedAs = Input.text(values["naam"], field: "naam", max: AreaStoryRules.maxSignature, required: false).collect(into: &errors) ?? ""
        if errors.isEmpty && !AreaStoryRules.saysSomething(goesWell: goesWell, couldBeBetter: couldBeBetter) { errors.append(FieldError("goed", "story.empty")) }
        let photos = PhotoFields.read(parts, count: AreaStoryRules.maxPhotos, errors: &errors)
        if !errors.isEmpty {
            let photoError = errors.contains { $0.field.hasPrefix("foto") }
            if !photoError && parts.files.values.contains(where: { !$0.data.isEmpty }) { errors.append(FieldError("foto1", "story.photosAgain")) }
            return try await req.render("Profile/story-form", formPage(req, s, area, values: values, errors: errors, council: council), status: .unprocessableEntity)
        }
        let now = req.application.clock()
        // The same story sent twice (a double click, a resend after a dropped connection) is kept once.
        if try await AreaStory.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$goesWell == goesWell).filter(\.$couldBeBetter == couldBeBetter)
            .filter(\.$createdAt >= now.addingTimeInterval(-3600)).first() != nil {
            req.flash(req.t(council ? "story.published" : "story.thanks"))
            return req.redirect(to: Site.areaProfile.link(s.slug, area.slug) + "#verhalen")
        }
        // One client cannot flood the coordinator's queue.
        if !council && !req.mayPost("story") {
            return try await req.render("Profile/story-form", formPage(req, s, area, values: values, errors: [FieldError("formulier", "story.tooMany")], council: council),
                                        status: .tooManyRequests)
        }
        let story = AreaStory()
        story.$municipality.id = s.id
        story.$area.id = area.id
        story.goesWell = goesWell
        story.couldBeBetter = couldBeBetter
        story.signedAs = signedAs
        story.authorKind = council ? .council : .resident
        story.status = council ? .published : .waiting
        story.createdAt = now
        try await req.db.writeTransaction { db in
            try await story.create(on: db)
            for (i, p) in photos.enumerated() {
                let photo = AreaStoryPhoto()
                photo.$story.id = try story.requireID()
                photo.position = i + 1
                photo.contentType = p.contentType
                photo.data = p.data
                try await photo.create(on: db)
            }
            try await req.audit(.storyPost, .init(id: story.id?.uuidString, summary: "\(area.name): \(story.authorKind.rawValue)", municipalityID: s.id),
                                after: ["status": story.status.rawValue, "photos": String(photos.count)], on: db)
        }
        if !council { await ReachCounter.count(values[ReachCounter.fieldName], area: area.id, channel: "stories", at: now, on: req.db) }
        req.flash(req.t(council ? "story.published" : "story.thanks"))
        return req.redirect(to: Site.areaProfile.link(s.slug, area.slug) + "#verhalen")
    }

    /// Publishes or rejects a story that waits (only once: a second click finds nothing waiting).
    func review(req: Request) async throws -> Response {
        let (s, area) = try await req.areaFromPath()
        _ = try await req.authorize(.coordinateArea(municipality: s.id, area: area.id))
        guard let id = req.parameters.get("story", as: UUID.self),
              let story = try await AreaStory.query(on: req.db).filter(\.$id == id).filter(\.$area.$id == area.id).first() else { throw AppError.notFound("story.notFound") }
        let values = FormParts.read(req).values
        guard let decision = ["publiceren": StoryStatus.published, "afwijzen": .rejected][values["besluit"] ?? ""] else {
            throw AppError.badRequest("story.decisionMissing")
        }
        guard story.status == .waiting else {
            req.flash(req.t("story.alreadyReviewed"))
            return req.redirect(to: Site.areaProfile.link(s.slug, area.slug) + "#verhalen")
        }
        let now = req.application.clock()
        try await req.db.writeTransaction { db in
            // Conditional: two coordinators clicking at once give one decision.
            try await AreaStory.query(on: db).filter(\.$id == id).filter(\.$status == .waiting)
                .set(\.$status, to: decision).set(\.$reviewedAt, to: now).set(\.$reviewedBy, to: req.authUser?.id).update()
            try await req.audit(.storyReview, .init(id: id.uuidString, summary: area.name, municipalityID: s.id),
                                before: ["status": StoryStatus.waiting.rawValue], after: ["status": decision.rawValue], on: db)
        }
        if decision == .rejected {
            // A rejected story is not kept: its text and photos go (only the audit line remains).
            try await AreaStory.query(on: req.db).filter(\.$id == id).filter(\.$status == .rejected).delete()
        }
        req.flash(req.t(decision == .published ? "story.reviewPublished" : "story.reviewRejected"))
        return req.redirect(to: Site.areaProfile.link(s.slug, area.slug) + "#verhalen")
    }

    /// A story's photo: public once the story is; the coordinator sees those of stories that wait.
    func photo(req: Request) async throws -> Response {
        let (s, area) = try await req.areaFromPath()
        guard let id = req.parameters.get("story", as: UUID.self), let n = req.parameters.get("photo", as: Int.self),
              let story = try await AreaStory.query(on: req.db).filter(\.$id == id).filter(\.$area.$id == area.id).first() else { throw AppError.notFound("story.notFound") }
        if story.status != .published {
            guard req.authUser != nil, let actor = try? await req.actor(), Permissions.allows(actor, .coordinateArea(municipality: s.id, area: area.id)) else {
                throw AppError.notFound("story.notFound")
            }
        }
        guard let photo = try await AreaStoryPhoto.query(on: req.db).filter(\.$story.$id == id).filter(\.$position == n).first() else { throw AppError.notFound("story.notFound") }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: photo.contentType)
        headers.replaceOrAdd(name: .cacheControl, value: story.status == .published ? "public, max-age=3600" : "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: photo.data))
    }
}
