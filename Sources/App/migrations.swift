import Fluent
import Vapor

/// Every migration, in order, with explicit names.
func registerMigrations(_ app: Application) {
    app.migrations.add(SessionRecord.migration)
    app.migrations.add(CreateAuditEntries())
    app.migrations.add(CreateAreaTables())
    app.migrations.add(CreateAreaIndexes())
    app.migrations.add(CreateAccountTables())
    app.migrations.add(CreateMixingPanelTables())
    app.migrations.add(CreateCouncilTables())
    app.migrations.add(CreateCouncilAdvice())
    app.migrations.add(CreateSignalTables())
    app.migrations.add(CreateOpen311Keys())
    app.migrations.add(CreateCouncilWork())
    app.migrations.add(CreateCouncilMembership())
    app.migrations.add(CreateAdviceEscalations())
    app.migrations.add(CreateThemeGroups())
    app.migrations.add(AddSignalReporterKey())
    app.migrations.add(CreateCouncilIndexes())
    app.migrations.add(CreateSessions())
    app.migrations.add(AddLoginThrottleVersion())
    app.migrations.add(CreateOpen311Idempotency())
    app.migrations.add(CreateFormerAreaSlugs())
    app.migrations.add(AddStructuredEscalationEvents())
    app.migrations.add(CreateInitiatives())
    app.migrations.add(CreateIdeas())
    app.migrations.add(CreateProfileTables())
    app.migrations.add(CreateAreaStories())
    app.migrations.add(CreateAreaCycle())
    app.migrations.add(AddAdviceCycleProduct())
    app.migrations.add(CreateSpearheadLinks())
}
