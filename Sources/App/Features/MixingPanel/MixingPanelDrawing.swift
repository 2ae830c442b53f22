import Foundation
import Domain

/// Draws a mixing panel as SVG: one vertical track per slider, a filled knob for the panel and an outlined
/// marker for what it is compared with. Shapes and a legend carry the meaning, never colour alone; the table
/// on the page gives the same positions as text.
enum MixingPanelDrawing {
    struct Track { var label: String; var position: Int?; var comparison: Int? }

    static func svg(id: String, title: String, description: String, tracks: [Track], steps: Int, panelLabel: String, comparisonLabel: String?,
                    high: String, low: String) -> String {
        let columnWidth = 130.0, top = 50.0, bottom = 250.0
        let width = 70 + Double(tracks.count) * columnWidth
        func y(_ position: Int) -> Double { bottom - Double(position - 1) / Double(max(steps - 1, 1)) * (bottom - top) }
        var out = "<svg class=\"ww-mixing-panel\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) 340\" role=\"img\" aria-labelledby=\"\(id)-t\" aria-describedby=\"\(id)-d\">"
        out += "<title id=\"\(id)-t\">\(HTML.escape(title))</title><desc id=\"\(id)-d\">\(HTML.escape(description))</desc>"
        out += "<text class=\"ww-mixing-panel__axis\" x=\"10\" y=\"\(Int(top) + 4)\">\(HTML.escape(high))</text>"
        out += "<text class=\"ww-mixing-panel__axis\" x=\"10\" y=\"\(Int(bottom) + 4)\">\(HTML.escape(low))</text>"
        for (i, track) in tracks.enumerated() {
            let x = 70 + Double(i) * columnWidth + columnWidth / 2
            out += "<line class=\"ww-mixing-panel__track\" x1=\"\(Int(x))\" y1=\"\(Int(top))\" x2=\"\(Int(x))\" y2=\"\(Int(bottom))\"/>"
            for step in 1...steps {
                out += "<line class=\"ww-mixing-panel__tick\" x1=\"\(Int(x) - 8)\" y1=\"\(Int(y(step)))\" x2=\"\(Int(x) + 8)\" y2=\"\(Int(y(step)))\"/>"
            }
            if let comparison = track.comparison {
                let cy = y(comparison)
                out += "<rect class=\"ww-mixing-panel__marker\" x=\"\(Int(x) - 26)\" y=\"\(Int(cy) - 11)\" width=\"52\" height=\"22\" rx=\"3\"/>"
            }
            if let position = track.position {
                let py = y(position)
                out += "<rect class=\"ww-mixing-panel__knob\" x=\"\(Int(x) - 18)\" y=\"\(Int(py) - 7)\" width=\"36\" height=\"14\" rx=\"2\"/>"
            }
            for (line, part) in wrap(track.label, width: 16).enumerated() {
                out += "<text class=\"ww-mixing-panel__label\" x=\"\(Int(x))\" y=\"\(Int(bottom) + 30 + line * 16)\" text-anchor=\"middle\">\(HTML.escape(part))</text>"
            }
        }
        // Legend: the shapes, in words.
        out += "<rect class=\"ww-mixing-panel__knob\" x=\"70\" y=\"8\" width=\"36\" height=\"14\" rx=\"2\"/><text class=\"ww-mixing-panel__legend\" x=\"114\" y=\"20\">\(HTML.escape(panelLabel))</text>"
        if let comparisonLabel {
            out += "<rect class=\"ww-mixing-panel__marker\" x=\"330\" y=\"4\" width=\"52\" height=\"22\" rx=\"3\"/><text class=\"ww-mixing-panel__legend\" x=\"390\" y=\"20\">\(HTML.escape(comparisonLabel))</text>"
        }
        return out + "</svg>"
    }

    /// Splits a label into lines of about `width` characters at spaces.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + word.count + 1 > width { lines.append(current); current = "" }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
