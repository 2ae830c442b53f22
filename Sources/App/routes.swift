import Vapor

/// One line per feature.
func routes(_ app: Application) throws {
    try app.register(collection: OperationsController())
    try app.register(collection: PublicAreasController())
    try app.register(collection: AreasAPIController())
    try app.register(collection: AuthController())
    try app.register(collection: AreasAdminController())
    try app.register(collection: UsersAdminController())
    try app.register(collection: DepartmentsAdminController())
    try app.register(collection: AuditController())
    try app.register(collection: InfoPagesController())
    try app.register(collection: MixingPanelController())
    try app.register(collection: CouncilsController())
    try app.register(collection: AdviceRequestController())
    try app.register(collection: AdviceController())
    try app.register(collection: AdviceActionsController())
    try app.register(collection: PublicSignalsController())
    try app.register(collection: StaffSignalsController())
    try app.register(collection: Open311Controller())
    try app.register(collection: SignalsAdminController())
    try app.register(collection: CouncilWorkController())
    try app.register(collection: PublicMeetingController())
    try app.register(collection: MembershipController())
    try app.register(collection: ThemeGroupsController())
    try app.register(collection: CouncilSettingsAdminController())

    // What features add to the public area page (the area feature does not depend on them).
    app.areaPage = AreaPageRegistry(sections: [CouncilAreaSection(), SignalsAreaSection()], mapLayers: [SignalDotsLayer()])
}
