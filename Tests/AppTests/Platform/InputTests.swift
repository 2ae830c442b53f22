import Foundation
import Testing
@testable import App
import Domain

@Suite("Text typed in forms")
struct InputTests {
    @Test func invisibleDirectionOverridesAreDropped() throws {
        // "Trojan Source": U+202E makes "gnp.exe" look like "exe.png"; isolates (U+2066–U+2069) likewise.
        #expect(Input.withoutDirectionOverrides("Lamp\u{202E}gnp.exe") == "Lampgnp.exe")
        #expect(Input.withoutDirectionOverrides("a\u{2066}b\u{2069}c\u{202A}d\u{202C}") == "abcd")
        #expect(Input.withoutDirectionOverrides("שלום \u{200F}Oss") == "שלום \u{200F}Oss", "plain direction marks and right-to-left text stay")
        #expect(try Input.text("  \u{202E}Kapotte lamp  ", field: "omschrijving", max: 100).get() == "Kapotte lamp")
        #expect(throws: FieldError.self) { try Input.text("a\u{0}b", field: "omschrijving", max: 100).get() }
    }
}
