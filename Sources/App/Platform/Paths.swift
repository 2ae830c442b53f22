import Vapor

/// A path pattern of the site: constant segments and named parameters. One value serves both the route
/// (`route`, for `boot`) and every link to it (`link(…)`), so a renamed segment cannot leave a dead link.
struct SitePath: Sendable, CustomStringConvertible {
    enum Segment: Sendable, Equatable { case constant(String), parameter(String) }
    let segments: [Segment]

    init(_ parts: String...) { self.init(parts.map { $0.hasPrefix(":") ? .parameter(String($0.dropFirst())) : .constant($0) }) }
    init(_ segments: [Segment]) { self.segments = segments }

    /// A longer path below this one.
    func callAsFunction(_ parts: String...) -> SitePath {
        SitePath(segments + parts.map { $0.hasPrefix(":") ? .parameter(String($0.dropFirst())) : .constant($0) })
    }

    /// Vapor's path components, for registering the route.
    var route: [PathComponent] {
        segments.map { segment in
            switch segment {
            case .constant(let c): return .constant(c)
            case .parameter(let p): return .parameter(p)
            }
        }
    }

    /// The path with the parameters filled in, in order (each percent-encoded as a path segment).
    func link(_ values: String...) -> String {
        var remaining = values[...]
        let parts = segments.map { segment -> String in
            switch segment {
            case .constant(let c): return c
            case .parameter(let name):
                guard let value = remaining.popFirst() else { preconditionFailure("no value for :\(name) in \(self)") }
                return value.addingPercentEncoding(withAllowedCharacters: .urlPathSegmentAllowed) ?? value
            }
        }
        precondition(remaining.isEmpty, "too many values for \(self)")
        return "/" + parts.joined(separator: "/")
    }

    var description: String {
        "/" + segments.map { if case .parameter(let p) = $0 { return ":" + p } else if case .constant(let c) = $0 { return c } else { return "" } }.joined(separator: "/")
    }
}

private extension CharacterSet {
    static let urlPathSegmentAllowed: CharacterSet = {
        var set = CharacterSet.urlPathAllowed
        set.remove("/")
        return set
    }()
}

/// Every page of Wijkwerk. Routes are registered with these (`routes.get(Site.signal.route, use: show)`) and
/// links are made with them (`Site.signal.link(code)`).
enum Site {
    // Public
    static let home = SitePath()
    static let login = SitePath("inloggen")
    static let logout = SitePath("uitloggen")
    static let passwordForgotten = SitePath("wachtwoord-vergeten")
    static let loginCode = login("code")
    static let loginOpenID = login("oidc")
    static let loginOpenIDReturn = login("oidc", "terug")
    static let twoFactor = SitePath("account", "tweestaps")
    static let accountPassword = SitePath("account", "wachtwoord", ":token")
    static let municipality = SitePath("gemeenten", ":municipality")
    static let area = municipality("gebieden", ":area")
    static let areaCouncil = area("raad")
    static let areaQuestion = area("vraag")
    static let areaCouncilApply = area("raad", "aanmelden")
    static let areaReport = area("melden")
    static let areaCalendarFeed = area("vergaderingen.ics")
    static let areaProfile = area("profiel")
    static let areaProfileCSV = area("profiel.csv")
    static let areaProfileJSON = area("profiel.json")
    static let areaProfileNotes = area("profiel", "notities")
    static let areaStoryNew = area("profiel", "verhaal")
    static let areaStoryReview = area("profiel", "verhalen", ":story")
    static let areaStoryPhoto = area("profiel", "verhalen", ":story", ":photo")
    static let areaRecurringToAgenda = area("profiel", "terugkerend")
    static let areaCycle = area("gebiedscyclus")
    static let areaCycleNew = areaCycle("nieuw")
    static let areaCycleNotYet = areaCycle("nog-niet")
    static let cycleProduct = areaCycle(":kind", ":version")
    static let cycleProductText = cycleProduct("tekst")
    static let cycleSpearheads = cycleProduct("speerpunten")
    static let cyclePlanItems = cycleProduct("acties")
    static let cyclePlanItemProgress = cycleProduct("acties", ":item")
    static let cycleStep = cycleProduct("stap")
    static let cycleResponses = cycleProduct("reacties")
    static let cycleLinks = cycleProduct("koppelingen")
    static let cycleResponseAnswer = cycleProduct("reacties", ":response")
    static let municipalityCycle = municipality("gebiedscyclus")
    static let ranking = municipality("rangorde")
    static let indicatorMap = municipality("kaart")
    static let indicatorGeoJSON = municipality("kaart.geojson")
    static let report = municipality("melden")
    static let publicReports = municipality("meldingen")
    static let reportForm = report("formulier")
    static let reportMap = report("kaart.svg")
    static let meetings = municipality("vergaderingen")
    static let meetingsFeed = municipality("vergaderingen.ics")
    static let meeting = meetings(":meeting")
    static let meetingDocument = meeting("documenten", ":document")
    static let adviceRegister = municipality("adviezen")
    static let adviceNew = adviceRegister("nieuw")
    static let advice = adviceRegister(":advice")
    static let themeGroups = municipality("themagroepen")
    static let themeGroup = themeGroups(":group")
    static let mixingPanels = municipality("mengpaneel")
    static let mixingPanelNew = mixingPanels("nieuw")
    static let mixingPanel = mixingPanels(":panel")
    static let initiatives = municipality("initiatieven")
    static let initiativeNew = initiatives("nieuw")
    static let goodExamples = initiatives("mooie-voorbeelden")
    static let initiative = initiatives(":code")
    static let initiativeOwnLink = initiative("sleutel", ":key")
    static let initiativeStep = initiative("stap")
    static let initiativeAccounting = initiative("verantwoording")
    static let initiativePhoto = initiative("fotos", ":photo")
    static let ideas = municipality("ideeen")
    static let ideaNew = ideas("nieuw")
    static let idea = ideas(":code")
    static let ideaSupport = idea("steunen")
    static let ideaSupportConfirm = idea("steun", ":token")
    static let budgetRounds = municipality("buurtbegroting")
    static let budgetRoundNew = budgetRounds("nieuw")
    static let budgetRoundNewCheques = budgetRounds("cheques-nieuw")
    static let budgetRoundSeriesNew = budgetRounds("reeks-nieuw")
    static let budgetRoundSeries = budgetRounds("reeks", ":series")
    static let budgetRound = budgetRounds(":round")
    static let budgetRoundIdea = budgetRound("idee")
    static let budgetRoundVote = budgetRound("stemmen")
    static let budgetRoundCheck = budgetRound("controle")
    static let budgetRoundExport = budgetRound("stemmen.pb")
    static let budgetRoundPledge = budgetRound("cheque")
    static let budgetRoundManage = budgetRound("beheer")
    static let budgetRoundSettings = budgetRoundManage("instellingen")
    static let budgetRoundAssess = budgetRoundManage("projecten", ":project")
    static let budgetRoundCodes = budgetRoundManage("codes")
    static let budgetRoundBatch = budgetRoundCodes(":batch")
    static let budgetRoundBatchCSV = budgetRoundCodes(":batch", "codes.csv")
    static let budgetRoundBatchSent = budgetRoundCodes(":batch", "verstuurd")
    static let budgetRoundPaper = budgetRoundManage("papier")
    static let budgetRoundClose = budgetRoundManage("afsluiten")
    static let budgetRoundChequeInitiative = budgetRoundManage("initiatief")
    static let priorityRankings = municipality("hoofdprioriteiten")
    static let priorityRankingNew = priorityRankings("nieuw")
    static let priorityRanking = priorityRankings(":ranking")
    static let priorityRankingManage = priorityRanking("beheer")
    static let priorityRankingEntry = priorityRankingManage("gebieden", ":area")
    static let priorityRankingScores = priorityRankingManage("scores", ":entry")
    static let priorityRankingAdopt = priorityRankingManage("vaststellen")
    static let money = municipality("geld")
    static let moneyCSV = municipality("geld.csv")
    static let trackingLookup = SitePath("melding")
    static let tracking = trackingLookup(":code")
    static let trackingOwnLink = tracking("sleutel", ":key")
    static let trackingAnswer = tracking("reactie")
    static let trackingFeedback = tracking("tevredenheid")
    static let trackingFollow = tracking("volgen")
    /// Confirming and stopping a follow: the token in the address is the authority.
    static let follow = SitePath("volgen")(":token")
    static let followStop = follow("stoppen")
    // Staff
    static let work = SitePath("werk")
    static let signalInbox = SitePath("werk", "meldingen")
    static let signalDashboard = signalInbox("overzicht")
    static let signalInboxMap = signalInbox("kaart")
    static let signal = signalInbox(":code")
    static let councilWork = SitePath("werk", "raden")
    static let councilAlternative = councilWork("alternatief")
    static let council = councilWork(":council")
    static let councilMeetings = council("vergaderingen")
    static let councilMeeting = councilMeetings(":meeting")
    static let councilMembers = council("leden")
    static let initiativeWork = SitePath("werk", "initiatieven")
    static let initiativeWorkItem = initiativeWork(":id")
    static let ideaWork = SitePath("werk", "ideeen")
    static let ideaWorkItem = ideaWork(":id")
    static let budgets = SitePath("werk", "budgetten")
    static let budget = budgets(":budget")
    static let budgetDivision = budgets("verdeling")
    static let projects = SitePath("werk", "projecten")
    static let projectsImport = projects("import")
    static let linkingOpportunities = SitePath("werk", "koppelkansen")
    // Admin
    static let admin = SitePath("beheer")
    static let users = admin("gebruikers")
    static let userNew = users("nieuw")
    static let user = users(":user")
    static let auditLog = admin("logboek")
    static let mixingPanelProfiles = admin("mengpaneel-profielen")
    static let adminMunicipality = admin("gemeenten", ":municipality")
    static let adminAreas = adminMunicipality("gebieden")
    static let adminArea = adminAreas(":area")
    static let adminMapping = adminMunicipality("indeling")
    static let adminClassifications = adminMunicipality("indelingen")
    static let adminClassification = adminClassifications(":classification")
    static let adminDepartments = adminMunicipality("afdelingen")
    static let adminDepartment = adminDepartments(":department")
    static let adminSignals = adminMunicipality("meldingen")
    static let adminSecurity = admin("beveiliging")
    static let adminStandardAnswers = adminSignals("standaardantwoorden")
    static let adminStandardAnswer = adminStandardAnswers(":answer")
    static let adminCouncils = adminMunicipality("raden")
}

/// Links used across pages, made from the route table.
enum Paths {
    static func municipality(_ slug: String) -> String { Site.municipality.link(slug) }
    static func area(_ municipality: String, _ area: String) -> String { Site.area.link(municipality, area) }
    static func admin(_ municipality: String) -> String { Site.adminMunicipality.link(municipality) }
    static func adminAreas(_ municipality: String) -> String { Site.adminAreas.link(municipality) }
    static func adminArea(_ municipality: String, _ id: UUID) -> String { Site.adminArea.link(municipality, id.uuidString) }
    static func adminMapping(_ municipality: String) -> String { Site.adminMapping.link(municipality) }
    static func adminClassifications(_ municipality: String) -> String { Site.adminClassifications.link(municipality) }
    static func adminClassification(_ municipality: String, _ id: UUID) -> String { Site.adminClassification.link(municipality, id.uuidString) }
    static func adminDepartments(_ municipality: String) -> String { Site.adminDepartments.link(municipality) }
    static func adminDepartment(_ municipality: String, _ id: UUID) -> String { Site.adminDepartment.link(municipality, id.uuidString) }
    static let adminUsers = Site.users.link()
    static func adminUser(_ id: UUID) -> String { Site.user.link(id.uuidString) }
    static let auditLog = Site.auditLog.link()
    static func mixingPanels(_ municipality: String) -> String { Site.mixingPanels.link(municipality) }
    static func mixingPanel(_ municipality: String, _ id: UUID) -> String { Site.mixingPanel.link(municipality, id.uuidString) }
    static func signal(_ code: String) -> String { Site.signal.link(code) }
    static func tracking(_ code: String) -> String { Site.tracking.link(code) }
}
