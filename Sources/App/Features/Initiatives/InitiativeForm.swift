import Vapor
import Domain

/// What residents fill in to propose an initiative, read and checked; every problem at once, nothing lost.
struct InitiativeProposal: Sendable {
    var areaSlug: String
    var title: String
    var summary: String
    var forWhom: String
    var place: String
    var period: String
    var theme: InitiativeTheme
    var askedCents: Int
    var lines: [BudgetLine]
    var supportPeople: String
    var supportKnowledge: String
    var supportNetwork: String
    var supportPlace: String
    var ownContribution: String
    var contactName: String
    var contactEmail: String
    var contactPhone: String?
    var kind: InitiativeKind = .initiative
    var task: String = ""
    var taskDepartmentID: UUID? = nil
}

enum InitiativeForm {
    /// Budget lines the form offers (without JavaScript: a fixed number of rows; empty rows are ignored).
    static let lineRows = 6

    static func read(_ values: [String: String], departments: [UUID] = []) -> Result<InitiativeProposal, ValidationFailure> {
        var errors: [FieldError] = []
        let kind: InitiativeKind = values["soort"] == "overnemen" ? .rightToChallenge : .initiative
        var task = "", taskDepartment: UUID? = nil
        if kind == .rightToChallenge {
            task = Input.text(values["taak"], field: "taak", max: 1000).collect(into: &errors) ?? ""
            taskDepartment = UUID(uuidString: values["afdeling"] ?? "").flatMap { departments.contains($0) ? $0 : nil }
            if taskDepartment == nil { errors.append(FieldError("afdeling", "initiative.challenge.departmentMissing")) }
        }
        let area = values["gebied"] ?? ""
        if area.isEmpty { errors.append(FieldError("gebied", "initiative.areaMissing")) }
        let title = Input.text(values["titel"], field: "titel", max: 120).collect(into: &errors)
        let summary = Input.text(values["wat"], field: "wat", max: 4000).collect(into: &errors)
        let forWhom = Input.text(values["voorwie"], field: "voorwie", max: 1000).collect(into: &errors)
        let place = Input.text(values["waar"], field: "waar", max: 500).collect(into: &errors)
        let period = Input.text(values["wanneer"], field: "wanneer", max: 500).collect(into: &errors)
        let theme = InitiativeTheme(rawValue: values["thema"] ?? "")
        if theme == nil { errors.append(FieldError("thema", "initiative.themeMissing")) }
        let asked = Input.cents(values["bedrag"], field: "bedrag", required: false, errors: &errors) ?? 0
        var lines: [BudgetLine] = []
        for i in 1...lineRows {
            let descriptionField = "regel\(i)", amountField = "regel\(i)-bedrag"
            let text = (values[descriptionField] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let amount = (values[amountField] ?? "").trimmingCharacters(in: .whitespaces)
            if text.isEmpty && amount.isEmpty { continue }
            let description = Input.text(text, field: descriptionField, max: 200).collect(into: &errors)
            let cents = Input.cents(amount, field: amountField, positive: true, emptyKey: "initiative.lineAmountMissing", errors: &errors)
            if let description, let cents { lines.append(BudgetLine(description: description, cents: cents)) }
        }
        if !errors.contains(where: { $0.field == "bedrag" || $0.field.hasPrefix("regel") }), let problem = BudgetLines.check(lines, asked: asked) {
            errors.append(FieldError("regel1", "initiative.lines.\(problem.rawValue)", [Money.format(lines.reduce(0) { $0 + $1.cents }), Money.format(asked)]))
        }
        let people = Input.text(values["mensen"], field: "mensen", max: 1000, required: false).collect(into: &errors)
        let knowledge = Input.text(values["kennis"], field: "kennis", max: 1000, required: false).collect(into: &errors)
        let network = Input.text(values["netwerk"], field: "netwerk", max: 1000, required: false).collect(into: &errors)
        let room = Input.text(values["ruimte"], field: "ruimte", max: 1000, required: false).collect(into: &errors)
        if asked == 0 && [people, knowledge, network, room].allSatisfy({ ($0 ?? "").isEmpty }) && !errors.contains(where: { $0.field == "bedrag" }) {
            errors.append(FieldError("bedrag", "initiative.nothingAsked"))
        }
        let own = Input.text(values["eigen"], field: "eigen", max: 2000).collect(into: &errors)
        let name = Input.text(values["naam"], field: "naam", max: 120).collect(into: &errors)
        let email = Credentials.normaliseEmail(values["email"] ?? "", field: "email").collect(into: &errors)
        let phone = Input.text(values["telefoon"], field: "telefoon", max: 30, required: false).collect(into: &errors)
        if let phone, !phone.isEmpty, phone.wholeMatch(of: /[0-9+() -]{6,30}/) == nil { errors.append(FieldError("telefoon", "initiative.phoneInvalid")) }
        guard errors.isEmpty, let title, let summary, let forWhom, let place, let period, let theme, let own, let name, let email else {
            return .failure(ValidationFailure(errors))
        }
        return .success(InitiativeProposal(areaSlug: area, title: title, summary: summary, forWhom: forWhom, place: place, period: period, theme: theme,
                                           askedCents: asked, lines: lines, supportPeople: people ?? "", supportKnowledge: knowledge ?? "",
                                           supportNetwork: network ?? "", supportPlace: room ?? "", ownContribution: own, contactName: name,
                                           contactEmail: email, contactPhone: (phone ?? "").isEmpty ? nil : phone, kind: kind, task: task, taskDepartmentID: taskDepartment))
    }

    /// The fields of the form, in the order a resident thinks about them.
    static func fields(_ req: Request, areas: [(slug: String, name: String)], departments: [(id: String, name: String)], values: [String: String], errors: [FieldError]) -> [FieldView] {
        let v = { (name: String) in values[name] ?? "" }
        var fields = values["idee"].map { [FieldView(req, name: "idee", label: "", type: "hidden", value: $0)] } ?? []
        fields += [
            FieldView(req, name: "gebied", label: req.t("initiative.field.area"), type: "select", value: v("gebied"),
                      options: [("", req.t("initiative.field.areaChoose"))] + areas.map { ($0.slug, $0.name) }, errors: errors),
            FieldView(req, name: "titel", label: req.t("initiative.field.title"), value: v("titel"), description: req.t("initiative.field.titleHelp"), errors: errors),
            FieldView(req, name: "wat", label: req.t("initiative.field.summary"), type: "textarea", value: v("wat"), description: req.t("initiative.field.summaryHelp"), errors: errors),
            FieldView(req, name: "voorwie", label: req.t("initiative.field.forWhom"), type: "textarea", value: v("voorwie"), errors: errors),
            FieldView(req, name: "waar", label: req.t("initiative.field.place"), value: v("waar"), description: req.t("initiative.field.placeHelp"), errors: errors),
            FieldView(req, name: "wanneer", label: req.t("initiative.field.period"), value: v("wanneer"), description: req.t("initiative.field.periodHelp"), errors: errors),
            FieldView(req, name: "thema", label: req.t("initiative.field.theme"), type: "select", value: v("thema"),
                      options: [("", req.t("initiative.field.themeChoose"))] + InitiativeTheme.allCases.map { ($0.rawValue, req.t("initiative.theme." + $0.rawValue)) }, errors: errors),
            FieldView(req, name: "soort", label: req.t("initiative.field.kind"), type: "radios", value: values["soort"] ?? "initiatief",
                      options: [("initiatief", req.t("initiative.kind.initiative")), ("overnemen", req.t("initiative.kind.rightToChallenge"))], errors: errors),
            FieldView(req, name: "taak", label: req.t("initiative.field.task"), type: "textarea", value: v("taak"), description: req.t("initiative.field.taskHelp"), optional: true, errors: errors),
            FieldView(req, name: "afdeling", label: req.t("initiative.field.department"), type: "select", value: v("afdeling"), description: req.t("initiative.field.departmentHelp"), optional: true,
                      options: [("", "–")] + departments.map { ($0.id, $0.name) }, errors: errors),
            FieldView(req, name: "bedrag", label: req.t("initiative.field.amount"), value: v("bedrag"), description: req.t("initiative.field.amountHelp"), optional: true, errors: errors),
        ]
        for i in 1...lineRows {
            fields.append(FieldView(req, name: "regel\(i)", label: req.t("initiative.field.line", String(i)), value: v("regel\(i)"), optional: true, errors: errors))
            fields.append(FieldView(req, name: "regel\(i)-bedrag", label: req.t("initiative.field.lineAmount", String(i)), value: v("regel\(i)-bedrag"), optional: true, errors: errors))
        }
        fields += [
            FieldView(req, name: "mensen", label: req.t("initiative.support.people"), type: "textarea", value: v("mensen"), description: req.t("initiative.support.peopleHelp"), optional: true, errors: errors),
            FieldView(req, name: "kennis", label: req.t("initiative.support.knowledge"), type: "textarea", value: v("kennis"), optional: true, errors: errors),
            FieldView(req, name: "netwerk", label: req.t("initiative.support.network"), type: "textarea", value: v("netwerk"), optional: true, errors: errors),
            FieldView(req, name: "ruimte", label: req.t("initiative.support.place"), type: "textarea", value: v("ruimte"), description: req.t("initiative.support.placeHelp"), optional: true, errors: errors),
            FieldView(req, name: "eigen", label: req.t("initiative.field.own"), type: "textarea", value: v("eigen"), description: req.t("initiative.field.ownHelp"), errors: errors),
            FieldView(req, name: "naam", label: req.t("initiative.field.name"), value: v("naam"), autocomplete: "name", errors: errors),
            FieldView(req, name: "email", label: req.t("initiative.field.email"), type: "email", value: v("email"), description: req.t("initiative.field.contactHelp"), autocomplete: "email", errors: errors),
            FieldView(req, name: "telefoon", label: req.t("initiative.field.phone"), type: "tel", value: v("telefoon"), optional: true, autocomplete: "tel", errors: errors),
            ReachCounter.field(req, value: v(ReachCounter.fieldName)),
        ]
        return fields
    }
}
