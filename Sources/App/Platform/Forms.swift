import Vapor
import Domain

/// Input that failed validation: every problem at once, to show in the error summary and beside each field.
struct ValidationFailure: Error {
    var errors: [FieldError]
    var status: HTTPResponseStatus = .unprocessableEntity
    init(_ errors: [FieldError], status: HTTPResponseStatus = .unprocessableEntity) {
        self.errors = errors
        self.status = status
    }
}

extension Result where Failure == FieldError {
    /// The value, or nil after adding the error to the list.
    func collect(into errors: inout [FieldError]) -> Success? {
        switch self {
        case .success(let value): return value
        case .failure(let error): errors.append(error); return nil
        }
    }
}

extension Request {
    /// Status message for the next page (after Post/Redirect/Get).
    func flash(_ text: String) { session.data["flash"] = text }

    func takeFlash() -> String? {
        guard hasSession, let text = session.data["flash"] else { return nil }
        session.data["flash"] = nil
        return text
    }

    /// Renders a page with a status code (422/403/409 for forms that come back).
    func render(_ template: String, _ context: some Encodable, status: HTTPResponseStatus = .ok) async throws -> Response {
        let response = try await view.render(template, context).encodeResponse(for: self)
        response.status = status
        return response
    }
}

/// Text input cleaning shared by forms: trims, drops the invisible direction overrides, and refuses NUL and
/// other control characters.
enum Input {
    /// Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): invisible, and able to make
    /// a text look like something else on a staff screen ("Trojan Source"). Plain direction marks stay.
    static func withoutDirectionOverrides(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.filter { !(0x202A...0x202E).contains($0.value) && !(0x2066...0x2069).contains($0.value) })
        return String(scalars)
    }

    static func text(_ raw: String?, field: String, max: Int, required: Bool = true) -> Result<String, FieldError> {
        let value = withoutDirectionOverrides(raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty && required { return .failure(FieldError(field, "input.empty")) }
        if value.count > max { return .failure(FieldError(field, "input.tooLong", [String(max)])) }
        if value.unicodeScalars.contains(where: { $0.value == 0 || ($0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" && $0 != "\t") }) {
            return .failure(FieldError(field, "input.invalidCharacters"))
        }
        return .success(value)
    }

    /// Plain decimal notation only: an optional sign, digits and one point (no exponents, hex or NUL).
    static func isDecimal(_ text: String) -> Bool {
        text.utf8.count <= 32 && text.wholeMatch(of: /[+-]?[0-9]{1,3}(\.[0-9]+)?/) != nil
    }

    /// An amount of money typed in a form field, in cents (`Money.parseCents`), or nil after adding the field's
    /// problem. An empty field is `emptyKey`'s problem when required and simply nil otherwise; `positive` refuses 0.
    static func cents(_ raw: String?, field: String, required: Bool = true, positive: Bool = false, emptyKey: String = "money.empty",
                      errors: inout [FieldError]) -> Int? {
        switch Money.parseCents(raw ?? "") {
        case .success(let c) where positive && c <= 0: errors.append(FieldError(field, "money.notPositive")); return nil
        case .success(let c): return c
        case .failure(.empty): if required { errors.append(FieldError(field, emptyKey)) }; return nil
        case .failure(let p): errors.append(FieldError(field, "money.\(p.rawValue)")); return nil
        }
    }

    /// A formula's weight (0 to 1000, a decimal comma or point), or nil: no error for an empty field.
    static func weight(_ raw: String?, field: String, errors: inout [FieldError]) -> Double? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        if text.isEmpty { return nil }
        guard isDecimal(text), let w = Double(text), (0...1000).contains(w) else { errors.append(FieldError(field, "division.weightInvalid")); return nil }
        return w
    }

    /// A clock time "hh:mm" as minutes after midnight (24:00 allowed); `.some(nil)` for an empty field, nil when unreadable.
    static func minutes(_ text: String?) -> Int?? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return .some(nil) }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 1440 else { return nil }
        return .some(h * 60 + m)
    }

    static func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }

    /// A yyyy-mm-dd date in Dutch time, or nil; adds an error for text that is not such a date.
    static func day(_ raw: String?, field: String, errors: inout [FieldError]) -> Date? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard raw.wholeMatch(of: /(19|20|21)[0-9]{2}-[01][0-9]-[0-3][0-9]/) != nil else { errors.append(FieldError(field, "audit.dateFormat")); return nil }
        guard let date = Format.parseDay(raw) else { errors.append(FieldError(field, "audit.dateFormat")); return nil }
        return date
    }
}

extension Request {
    /// A posted form. A body that cannot be read counts as an empty form, so validation can say what is missing
    /// instead of answering with a bare 400.
    func form<T: Content>(_ empty: @autoclosure () -> T) -> T {
        (try? content.decode(T.self)) ?? empty()
    }
}

/// Optimistic concurrency for edit forms: the form carries a fingerprint of the record as it was shown, and
/// saving first checks that the record still has that fingerprint, so nobody overwrites a newer change unseen.
enum EditToken {
    static func of(_ value: some Encodable) -> String {
        SHA256.hash(data: Data(AuditLog.json(value).utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
    }

    static func check(_ submitted: String?, current: some Encodable) throws {
        guard submitted == of(current) else { throw ValidationFailure([FieldError("formulier", "admin.conflict")], status: .conflict) }
    }
}
