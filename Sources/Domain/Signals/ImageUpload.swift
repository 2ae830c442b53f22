import Foundation

/// Photos with a signal: only JPEG and PNG, recognised by their content (not by name or declared type),
/// and stripped of metadata (EXIF with its GPS position, XMP, text chunks) unless the reporter agrees to keep it.
public enum ImageUpload {
    public static let maxBytes = 5 * 1024 * 1024

    public enum Kind: String, Sendable { case jpeg, png
        public var contentType: String { self == .jpeg ? "image/jpeg" : "image/png" }
    }

    public enum Problem: String, Error, Sendable { case empty, tooLarge, notAnImage, damaged }

    public static func kind(of data: Data) -> Kind? {
        let bytes = [UInt8](data.prefix(8))
        if bytes.count >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF { return .jpeg }
        if bytes == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] { return .png }
        return nil
    }

    /// Checks a photo and returns what to store: its kind and the bytes (without metadata unless `keepMetadata`).
    public static func accept(_ data: Data, keepMetadata: Bool) -> Result<(kind: Kind, data: Data), Problem> {
        if data.isEmpty { return .failure(.empty) }
        if data.count > maxBytes { return .failure(.tooLarge) }
        guard let kind = kind(of: data) else { return .failure(.notAnImage) }
        if keepMetadata { return .success((kind, data)) }
        let stripped = kind == .jpeg ? stripJPEG(data) : stripPNG(data)
        guard let stripped else { return .failure(.damaged) }
        return .success((kind, stripped))
    }

    /// Removes APP1 (EXIF, XMP), APP13 (IPTC) and COM segments; nil when the segment structure is broken.
    static func stripJPEG(_ data: Data) -> Data? {
        let b = [UInt8](data)
        var out: [UInt8] = [0xFF, 0xD8]
        var i = 2
        while i + 4 <= b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue } // fill byte
            if marker == 0xDA { // start of scan: the rest is image data
                out.append(contentsOf: b[i...])
                return Data(out)
            }
            if marker == 0xD9 { out.append(contentsOf: [0xFF, 0xD9]); return Data(out) }
            if (0xD0...0xD7).contains(marker) || marker == 0x01 { out.append(contentsOf: b[i..<i + 2]); i += 2; continue }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 2, i + 2 + length <= b.count else { return nil }
            let drop = marker == 0xE1 || marker == 0xED || marker == 0xFE
            if !drop { out.append(contentsOf: b[i..<i + 2 + length]) }
            i += 2 + length
        }
        return nil
    }

    /// Removes eXIf, tEXt, zTXt and iTXt chunks; nil when the chunk structure is broken.
    static func stripPNG(_ data: Data) -> Data? {
        let b = [UInt8](data)
        var out = Array(b[0..<8])
        var i = 8
        while i + 12 <= b.count {
            let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 0, i + 12 + length <= b.count else { return nil }
            let type = String(decoding: b[i + 4..<i + 8], as: UTF8.self)
            if !["eXIf", "tEXt", "zTXt", "iTXt"].contains(type) { out.append(contentsOf: b[i..<i + 12 + length]) }
            i += 12 + length
            if type == "IEND" { return Data(out) }
        }
        return nil
    }
}
