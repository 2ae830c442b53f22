import Testing
import Foundation
@testable import Domain

@Suite("Photo uploads")
struct ImageUploadTests {
    /// A JPEG with an EXIF segment holding a (fake) GPS block, a quantisation table and a scan.
    static let jpeg: Data = {
        var b: [UInt8] = [0xFF, 0xD8]
        let exif = Array("Exif\0\0GPS 51.76N 5.52E".utf8)
        b += [0xFF, 0xE1, 0x00, UInt8(exif.count + 2)] + exif
        b += [0xFF, 0xDB, 0x00, 0x04, 0x01, 0x02]
        b += [0xFF, 0xDA, 0x00, 0x03, 0x00, 0x11, 0x22, 0xFF, 0xD9]
        return Data(b)
    }()

    static func chunk(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        let n = payload.count
        return [UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + Array(type.utf8) + payload + [0, 0, 0, 0]
    }

    static let png: Data = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", Array(repeating: 1, count: 13))
                                + chunk("eXIf", Array("GPS".utf8)) + chunk("tEXt", Array("Author\0Anne".utf8))
                                + chunk("IDAT", [1, 2, 3]) + chunk("IEND", []))

    @Test func recognisesByContent() {
        #expect(ImageUpload.kind(of: Self.jpeg) == .jpeg)
        #expect(ImageUpload.kind(of: Self.png) == .png)
        #expect(ImageUpload.kind(of: Data("%PDF-1.7".utf8)) == nil)
        #expect(ImageUpload.kind(of: Data("GIF89a".utf8)) == nil)
    }

    @Test func stripsLocationFromJPEG() throws {
        let (kind, data) = try ImageUpload.accept(Self.jpeg, keepMetadata: false).get()
        #expect(kind == .jpeg)
        #expect(!String(decoding: data, as: UTF8.self).contains("GPS"))
        #expect(data.starts(with: [0xFF, 0xD8, 0xFF, 0xDB]))
        #expect(data.suffix(2) == Data([0xFF, 0xD9]))
        #expect(try ImageUpload.accept(Self.jpeg, keepMetadata: true).get().data == Self.jpeg)
    }

    @Test func stripsMetadataChunksFromPNG() throws {
        let (kind, data) = try ImageUpload.accept(Self.png, keepMetadata: false).get()
        #expect(kind == .png)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("GPS") && !text.contains("Anne"))
        #expect(text.contains("IHDR") && text.contains("IDAT") && text.contains("IEND"))
    }

    @Test func refusesWhatIsNotAPhoto() {
        #expect(throws: ImageUpload.Problem.notAnImage) { try ImageUpload.accept(Data("<svg/>".utf8), keepMetadata: false).get() }
        #expect(throws: ImageUpload.Problem.empty) { try ImageUpload.accept(Data(), keepMetadata: false).get() }
        #expect(throws: ImageUpload.Problem.tooLarge) { try ImageUpload.accept(Self.jpeg + Data(count: ImageUpload.maxBytes), keepMetadata: false).get() }
        #expect(throws: ImageUpload.Problem.damaged) { try ImageUpload.accept(Data([0xFF, 0xD8, 0xFF, 0xE1, 0x40, 0x00, 1, 2]), keepMetadata: false).get() }
    }
}
