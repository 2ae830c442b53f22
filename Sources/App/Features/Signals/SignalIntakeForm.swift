import Vapor
import Fluent
import Domain

/// A report as typed (web form, staff intake or Open311), validated into a `SignalIntake` or a list of
/// problems per field. One place for the rules, so every way in refuses the same things.
struct SignalInput: Sendable {
    var categoryCode: String?
    var description: String?
    var place: String?
    var neighbourhoodID: String?
    var lat: String?
    var lon: String?
    var answers: [String: String] = [:]
    var email: String?
    var phone: String?
    var consent: Bool = false
    var photo: Data?
    var keepPhotoLocation: Bool = false
    var requireLocation: Bool = true
    var requireConsent: Bool = true

    /// "51,765" and "51.765" both read as 51.765.
    static func decimal(_ text: String?) -> Double? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let normalised = text.replacingOccurrences(of: ",", with: ".")
        guard Input.isDecimal(normalised) else { return nil }
        return Double(normalised).flatMap { $0.isFinite ? $0 : nil }
    }

    func validate(municipality snapshot: MunicipalitySnapshot, pageAreaID: UUID?, categories: [SignalCategory], source: String,
                  language: Language, locator: AreaDirectory.LocatorIndex) -> Result<SignalIntake, ValidationFailure> {
        var errors: [FieldError] = []
        let code = (categoryCode ?? "").trimmingCharacters(in: .whitespaces)
        let hasSubs = Set(categories.compactMap(\.parentID))
        let category = categories.first { $0.code == code && $0.active && !hasSubs.contains($0.id!) }
        if code.isEmpty { errors.append(FieldError("categorie", "signal.category.missing")) } else if category == nil { errors.append(FieldError("categorie", "signal.category.unknown")) }
        let text = Input.text(description, field: "omschrijving", max: SignalRules.descriptionLimit).collect(into: &errors)
        let placeText = Input.text(place, field: "plaats", max: SignalRules.placeLimit, required: false).collect(into: &errors)
        var answers: [String: String] = [:]
        for question in category?.questions ?? [] {
            let field = "vraag_" + question.key
            guard let value = Input.text(self.answers[question.key], field: field, max: 500, required: question.required).collect(into: &errors) else { continue }
            if value.isEmpty { continue }
            if let options = question.options, !options.contains(value) { errors.append(FieldError(field, "signal.answer.unknownOption")); continue }
            answers[question.key] = value
        }
        // Location: a point, a buurt, a description of the place, or (from an area's page) the area.
        var position: Position? = nil
        var neighbourhood: UUID? = nil
        let latValue = Self.decimal(lat), lonValue = Self.decimal(lon)
        let latGiven = !(lat ?? "").trimmingCharacters(in: .whitespaces).isEmpty, lonGiven = !(lon ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        if latGiven || lonGiven {
            if let la = latValue, let lo = lonValue, (-90...90).contains(la), (-180...180).contains(lo) {
                let p = Position(lon: lo, lat: la)
                if let id = locator.locator.locate(p), locator.municipalityOf[id] == snapshot.id {
                    position = p
                    neighbourhood = id
                } else {
                    errors.append(FieldError("lat", "signal.location.outside", [snapshot.name]))
                }
            } else {
                errors.append(FieldError(latGiven && latValue != nil ? "lon" : "lat", "signal.location.coordinates"))
            }
        }
        if let raw = neighbourhoodID?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let id = UUID(uuidString: raw), snapshot.neighbourhoods.contains(where: { $0.id == id }) {
                if neighbourhood == nil { neighbourhood = id }
            } else {
                errors.append(FieldError("buurt", "signal.location.buurtUnknown"))
            }
        }
        if requireLocation && position == nil && neighbourhood == nil && (placeText ?? "").isEmpty && !errors.contains(where: { ["lat", "lon", "buurt"].contains($0.field) }) {
            errors.append(FieldError("plaats", "signal.location.missing"))
        }
        // Contact: optional, with consent to be contacted about this signal.
        var email: String? = nil
        if let raw = self.email?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            email = Credentials.normaliseEmail(raw, field: "email").collect(into: &errors)
        }
        var phone: String? = nil
        if let raw = self.phone?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            let digits = raw.filter(\.isNumber)
            if raw.allSatisfy({ $0.isNumber || " +-()".contains($0) }) && (10...15).contains(digits.count) { phone = raw } else { errors.append(FieldError("telefoon", "signal.contact.phone")) }
        }
        // An e-mail address is for updates on this report and needs no consent; a phone number is only for being
        // called about it, which the reporter must agree to.
        if requireConsent && phone != nil && !consent { errors.append(FieldError("toestemming", "signal.contact.consent")) }
        var photo: (contentType: String, data: Data)? = nil
        if let data = self.photo, !data.isEmpty {
            switch ImageUpload.accept(data, keepMetadata: keepPhotoLocation) {
            case .success(let accepted): photo = (accepted.kind.contentType, accepted.data)
            case .failure(let problem): errors.append(FieldError("foto", "signal.photo.\(problem.rawValue)", [String(ImageUpload.maxBytes / 1024 / 1024)]))
            }
        }
        guard errors.isEmpty, let category, let text else { return .failure(ValidationFailure(errors)) }
        return .success(SignalIntake(municipalityID: snapshot.id, category: category, description: text, place: (placeText ?? "").isEmpty ? nil : placeText,
                                     position: position, neighbourhoodID: neighbourhood, pageAreaID: pageAreaID, answers: answers,
                                     email: email, phone: phone, photo: photo, source: source, language: language))
    }
}
