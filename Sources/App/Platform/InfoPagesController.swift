import Vapor

/// The pages every footer links to: accessibility statement, privacy, cookies, contact.
struct InfoPagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        for (path, key) in [("toegankelijkheid", "accessibility"), ("privacy", "privacy"), ("cookies", "cookies"), ("contact", "contact")] {
            routes.access(.public).get(PathComponent(stringLiteral: path)) { req async throws -> View in
                struct Page: Encodable { var page: PageMeta; var heading: String; var paragraphs: [String] }
                let heading = req.t("info.\(key).title")
                var paragraphs: [String] = []
                for i in 1...8 {
                    let k = "info.\(key).p\(i)"
                    let text = req.t(k)
                    if text == k { break }
                    paragraphs.append(text)
                }
                return try await req.view.render("Shared/info", Page(page: req.page(heading), heading: heading, paragraphs: paragraphs))
            }
        }
    }
}
