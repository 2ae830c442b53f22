import Vapor
import Fluent
import Domain

/// The demo's village stories (dorpsspiegel) in Oss: invented, like every person in the demo, so the profile shows
/// what a story from the council and from a resident look like, and the coordinator has one to read.
enum ProfileDemoSeeder {
    static func seed(app: Application) async throws {
        guard try await AreaStory.query(on: app.db).count() == 0,
              let oss = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first() else { return }
        let areas = try await Area.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).sort(\.$position).limit(2).all()
        guard areas.count == 2 else { return }
        let now = app.clock()
        let stories: [(Area, String, String, String, StoryAuthor, StoryStatus, Double)] = [
            (areas[0], "Er zijn veel vrijwilligers. Het buurthuis is elke dag open en de buurtbus rijdt weer.",
             "Jongeren hebben geen plek om samen te zijn. De stoep bij de school is smal en druk.", "", .council, .published, 40),
            (areas[0], "De nieuwe plantenbakken in de straat maken het gezellig.", "", "Marieke", .resident, .published, 12),
            (areas[1], "", "Na tienen is het erg donker op het pad langs het water.", "", .resident, .waiting, 2),
        ]
        for (area, goesWell, couldBeBetter, name, author, status, daysAgo) in stories {
            let story = AreaStory()
            story.$municipality.id = try oss.requireID()
            story.$area.id = try area.requireID()
            story.goesWell = goesWell
            story.couldBeBetter = couldBeBetter
            story.signedAs = name
            story.authorKind = author
            story.status = status
            story.createdAt = now.addingTimeInterval(-daysAgo * 86_400)
            try await story.create(on: app.db)
        }
    }
}
