import Vapor

/// One response of the Open311 GeoReport v2 API, built once and written as JSON or XML: arrays carry the
/// name of their XML elements (`<services><service>…`), objects keep their key order.
indirect enum Open311Value {
    case text(String?)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case object([(String, Open311Value)])
    case array(element: String, [Open311Value])

    enum Format: String { case json, xml }

    func json() -> String {
        switch self {
        case .text(let s): return s.map(Self.jsonString) ?? "null"
        case .number(let n): return n.isFinite ? String(n) : "null"
        case .integer(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .object(let pairs): return "{" + pairs.map { Self.jsonString($0.0) + ":" + $0.1.json() }.joined(separator: ",") + "}"
        case .array(_, let items): return "[" + items.map { $0.json() }.joined(separator: ",") + "]"
        }
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The XML document with this value as the root element `root` (UTF-8 declaration, no namespaces).
    func xml(root: String) -> String {
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>" + xmlElement(root)
    }

    private func xmlElement(_ name: String) -> String {
        switch self {
        case .text(let s): return s.map { "<\(name)>\(HTML.escape(Self.xmlSafe($0)))</\(name)>" } ?? "<\(name)/>"
        case .number(let n): return "<\(name)>\(n)</\(name)>"
        case .integer(let i): return "<\(name)>\(i)</\(name)>"
        case .bool(let b): return "<\(name)>\(b)</\(name)>"
        case .object(let pairs): return "<\(name)>" + pairs.map { $0.1.xmlElement($0.0) }.joined() + "</\(name)>"
        case .array(let element, let items): return "<\(name)>" + items.map { $0.xmlElement(element) }.joined() + "</\(name)>"
        }
    }

    /// Text without the characters XML 1.0 does not allow (control characters other than tab, line feed
    /// and carriage return, U+FFFE and U+FFFF), so a document stays well-formed whatever a client sent.
    static func xmlSafe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isXMLChar($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars { out.append(isXMLChar(u) ? u : "\u{FFFD}") }
        return String(out)
    }

    private static func isXMLChar(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    func response(_ format: Format, root: String, status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: format == .json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8")
        return Response(status: status, headers: headers, body: .init(string: format == .json ? json() : xml(root: root)))
    }
}

/// An Open311 error: `[{code, description}]` or `<errors><error>…`.
struct Open311Error: Error {
    var status: HTTPResponseStatus
    var description: String

    func response(_ format: Open311Value.Format) -> Response {
        Open311Value.array(element: "error", [.object([("code", .integer(Int(status.code))), ("description", .text(description))])])
            .response(format, root: "errors", status: status)
    }
}
