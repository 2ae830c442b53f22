import Vapor
import Domain

/// Numbered photo inputs (`foto1`, `foto2`, …) on a multipart form: the fields as a page shows them, and reading
/// what was sent (JPEG or PNG, size-checked, metadata such as the location removed).
enum PhotoFields {
    static func fields(_ req: Request, count: Int, labelKey: String, helpKey: String, errors: [FieldError]) -> [FieldView] {
        (1...count).map { n in
            var field = FieldView(req, name: "foto\(n)", label: req.t(labelKey, String(n)), type: "file",
                                  description: n == 1 ? req.t(helpKey, String(ImageUpload.maxBytes / 1024 / 1024)) : nil, optional: true, errors: errors)
            field.accept = "image/jpeg,image/png"
            return field
        }
    }

    static func read(_ parts: FormParts, count: Int, errors: inout [FieldError]) -> [(contentType: String, data: Data)] {
        var photos: [(contentType: String, data: Data)] = []
        for n in 1...count {
            guard let file = parts.files["foto\(n)"], !file.data.isEmpty else { continue }
            switch ImageUpload.accept(file.data, keepMetadata: false) {
            case .success(let image): photos.append((image.kind.contentType, image.data))
            case .failure(let problem): errors.append(FieldError("foto\(n)", "signal.photo.\(problem.rawValue)", [String(ImageUpload.maxBytes / 1024 / 1024)]))
            }
        }
        return photos
    }
}
