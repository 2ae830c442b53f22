import Vapor
import Fluent
import Domain

/// One filled-in mixing panel: for a municipality, a team or a case, as it is now or as ambition, on a date.
final class MixingPanelRecord: Model, @unchecked Sendable {
    static let schema = "mixing_panels"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "subject_kind") var subjectKind: String
    @Field(key: "subject_name") var subjectName: String
    @Field(key: "variant") var variant: String
    @OptionalField(key: "current_id") var currentID: UUID?
    @Field(key: "evaluated_on") var evaluatedOn: String
    @Field(key: "scale_steps") var scaleSteps: Int
    @Field(key: "sixth_slider") var sixthSlider: Bool
    @Field(key: "positions") var positionsJSON: String
    @Field(key: "notes") var notesJSON: String
    @OptionalField(key: "created_by_id") var createdByID: UUID?
    @Field(key: "created_at") var createdAt: Date
    init() {}

    static let subjectKinds = ["gemeente", "team", "casus"]
    static let variants = ["nu", "ambitie"]

    var positions: [String: Int] { (try? JSONDecoder().decode([String: Int].self, from: Data(positionsJSON.utf8))) ?? [:] }
    var notes: [String: String] { (try? JSONDecoder().decode([String: String].self, from: Data(notesJSON.utf8))) ?? [:] }
    var scale: MixingPanel.Scale { MixingPanel.Scale(steps: scaleSteps) }

    struct Snapshot: Codable { var subject: String; var variant: String; var evaluatedOn: String; var scale: Int; var positions: [String: Int] }
    var snapshot: Snapshot { Snapshot(subject: "\(subjectKind): \(subjectName)", variant: variant, evaluatedOn: evaluatedOn, scale: scaleSteps, positions: positions) }
}

/// The slider positions of the five profiles: a documented reading of the source, editable by an admin.
final class MixingPanelProfileRecord: Model, @unchecked Sendable {
    static let schema = "mixing_panel_profiles"
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "positions") var positionsJSON: String
    init() {}

    var positions: [String: Int] { (try? JSONDecoder().decode([String: Int].self, from: Data(positionsJSON.utf8))) ?? [:] }
}
