import Vapor
import MultipartKit

/// A posted form as named parts, from `application/x-www-form-urlencoded` or `multipart/form-data` (with files),
/// for forms whose field names are not known in advance (a category's extra questions, `kaart.x`).
struct FormParts {
    var values: [String: String] = [:]
    /// Every value of each name, in order (checkboxes send a name several times).
    var all: [String: [String]] = [:]
    var files: [String: (filename: String, data: Data)] = [:]

    subscript(_ name: String) -> String? { values[name] }

    static func read(_ req: Request) -> FormParts {
        var parts = FormParts()
        guard let contentType = req.headers.contentType else { return parts }
        if contentType.type == "multipart", let boundary = contentType.parameters["boundary"], let body = req.body.data {
            let parser = MultipartParser(boundary: boundary)
            var headers: [String: String] = [:]
            var data = Data()
            parser.onHeader = { name, value in headers[name.lowercased()] = value }
            parser.onBody = { buffer in data.append(contentsOf: buffer.readableBytesView) }
            parser.onPartComplete = {
                let disposition = headers["content-disposition"] ?? ""
                if let name = Self.parameter("name", in: disposition) {
                    if let filename = Self.parameter("filename", in: disposition) {
                        if !data.isEmpty || !filename.isEmpty { parts.files[name] = (filename, data) }
                    } else {
                        let value = String(decoding: data, as: UTF8.self)
                        parts.values[name] = value
                        parts.all[name, default: []].append(value)
                    }
                }
                headers = [:]
                data = Data()
            }
            do { try parser.execute(body) } catch { return FormParts() }
        } else if contentType == .urlEncodedForm, let body = req.body.string {
            for (name, value) in urlEncodedPairs(body) {
                parts.values[name] = value
                parts.all[name, default: []].append(value)
            }
        }
        return parts
    }

    /// `a=1&b%5Bx%5D=2` as flat names (brackets are part of the name, not nesting).
    static func urlEncoded(_ body: String) -> [String: String] {
        Dictionary(urlEncodedPairs(body), uniquingKeysWith: { $1 })
    }

    static func urlEncodedPairs(_ body: String) -> [(String, String)] {
        body.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// Whether a url-encoded body holds a %-sequence that does not decode to UTF-8 (it would be read as empty).
    static func hasInvalidEncoding(_ body: String) -> Bool {
        body.split(separator: "&").contains { pair in
            pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).contains { part in
                part.contains("%") && String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding == nil
            }
        }
    }

    private static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(key + "=") else { continue }
            var value = String(trimmed.dropFirst(key.count + 1))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
