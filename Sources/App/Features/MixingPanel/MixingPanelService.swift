import Vapor
import Fluent
import Domain

/// Loading, validating and comparing mixing panels.
enum MixingPanelService {
    /// The profiles' positions as stored (editable by an admin).
    static func profiles(on db: any Database) async throws -> [String: [String: Int]] {
        Dictionary(uniqueKeysWithValues: try await MixingPanelProfileRecord.query(on: db).all().map { ($0.code, $0.positions) })
    }

    struct PanelInput {
        var subjectKind: String
        var subjectName: String
        var variant: String
        var currentID: UUID?
        var evaluatedOn: String
        var scale: Int
        var sixthSlider: Bool
        var positions: [String: Int]
        var notes: [String: String]
    }

    /// The problems of a panel as form errors; the field of a slider is `pos_<slider>`.
    static func fieldErrors(_ problems: [MixingPanel.Problem]) -> [FieldError] {
        problems.map { problem in
            switch problem {
            case .missing(let slider): return FieldError("pos_\(slider)", "mixingPanel.position.missing")
            case .outOfScale(let slider, _, let steps): return FieldError("pos_\(slider)", "mixingPanel.position.outOfScale", [String(steps)])
            case .unknownSlider(let slider): return FieldError("formulier", "mixingPanel.unknownSlider", [slider])
            case .unsupportedScale(let steps): return FieldError("formulier", "mixingPanel.scale.unsupported", [String(steps)])
            }
        }
    }

    /// Validates and stores a panel for the municipality. An ambition needs the current panel it belongs to.
    static func create(_ input: PanelInput, municipality: Municipality, by user: User, requestID: String?, now: Date, on db: any Database) async throws -> MixingPanelRecord {
        var errors: [FieldError] = []
        if !MixingPanelRecord.subjectKinds.contains(input.subjectKind) { errors.append(FieldError("subjectKind", "mixingPanel.subjectKind.missing")) }
        let name = Input.text(input.subjectName, field: "subjectName", max: 120).collect(into: &errors)
        if !MixingPanelRecord.variants.contains(input.variant) { errors.append(FieldError("formulier", "mixingPanel.variant.unknown")) }
        var date: String? = nil
        var dateErrors: [FieldError] = []
        if Input.day(input.evaluatedOn, field: "evaluatedOn", errors: &dateErrors) != nil { date = input.evaluatedOn } else {
            errors.append(FieldError("evaluatedOn", input.evaluatedOn.isEmpty ? "mixingPanel.date.missing" : "audit.dateFormat"))
        }
        var current: MixingPanelRecord? = nil
        if input.variant == "ambitie" {
            if let id = input.currentID { current = try await MixingPanelRecord.find(id, on: db) }
            if current == nil || current?.$municipality.id != municipality.id || current?.variant != "nu" {
                errors.append(FieldError("formulier", "mixingPanel.ambitionWithoutCurrent"))
                current = nil
            }
        }
        if let current, current.scaleSteps != input.scale { errors.append(FieldError("formulier", "mixingPanel.scale.differsFromCurrent", [String(current.scaleSteps)])) }
        errors += fieldErrors(MixingPanel.validate(input.positions, scale: MixingPanel.Scale(steps: input.scale), sixthSlider: input.sixthSlider))
        var notes: [String: String] = [:]
        for (slider, raw) in input.notes {
            if let note = Input.text(raw, field: "note_\(slider)", max: 2000, required: false).collect(into: &errors), !note.isEmpty { notes[slider] = note }
        }
        guard errors.isEmpty, let name, let date else { throw ValidationFailure(errors) }
        let record = MixingPanelRecord()
        record.$municipality.id = try municipality.requireID()
        record.subjectKind = current?.subjectKind ?? input.subjectKind
        record.subjectName = current?.subjectName ?? name
        record.variant = input.variant
        record.currentID = current?.id
        record.evaluatedOn = date
        record.scaleSteps = input.scale
        record.sixthSlider = input.sixthSlider
        record.positionsJSON = AuditLog.json(input.positions)
        record.notesJSON = AuditLog.json(notes)
        record.createdByID = user.id
        record.createdAt = now
        try await db.writeTransaction { db in
            try await record.create(on: db)
            try await AuditLog.record(on: db, by: user, action: .mixingPanelCreate,
                                      subject: .init(id: record.id?.uuidString, summary: "\(record.subjectName) (\(record.variant), \(date))", municipalityID: municipality.id),
                                      after: record.snapshot, requestID: requestID, at: now)
        }
        return record
    }
}

