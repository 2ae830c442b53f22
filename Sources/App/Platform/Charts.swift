import Foundation

/// Simple bar charts as SVG, drawn on the server: no script, readable at any width (viewBox), with a title and
/// a description for screen readers; every chart on a page is followed by a table with the same figures.
enum BarChart {
    struct Series { var name: String; var cssClass: String; var values: [Int] }

    static func svg(id: String, title: String, description: String, labels: [String], series: [Series]) -> String {
        let maxValue = max(1, series.flatMap(\.values).max() ?? 1)
        let width = 640.0, height = 240.0, left = 40.0, bottom = 36.0, top = 12.0
        let plotHeight = height - bottom - top
        let groupWidth = (width - left - 8) / Double(max(1, labels.count))
        let barWidth = max(2, (groupWidth - 6) / Double(max(1, series.count)))
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ww-chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"\(id)-titel \(id)-uitleg\">"
        out += "<title id=\"\(id)-titel\">\(HTML.escape(title))</title><desc id=\"\(id)-uitleg\">\(HTML.escape(description))</desc>"
        // Axis with the maximum and zero.
        out += "<line class=\"ww-chart__axis\" x1=\"\(Int(left))\" y1=\"\(Int(top))\" x2=\"\(Int(left))\" y2=\"\(Int(height - bottom))\"/>"
        out += "<line class=\"ww-chart__axis\" x1=\"\(Int(left))\" y1=\"\(Int(height - bottom))\" x2=\"\(Int(width))\" y2=\"\(Int(height - bottom))\"/>"
        out += "<text class=\"ww-chart__tick\" x=\"\(Int(left - 4))\" y=\"\(Int(top + 4))\" text-anchor=\"end\">\(maxValue)</text>"
        out += "<text class=\"ww-chart__tick\" x=\"\(Int(left - 4))\" y=\"\(Int(height - bottom))\" text-anchor=\"end\">0</text>"
        for (i, label) in labels.enumerated() {
            let x0 = left + 4 + Double(i) * groupWidth
            for (k, s) in series.enumerated() {
                let value = i < s.values.count ? s.values[i] : 0
                let h = plotHeight * Double(value) / Double(maxValue)
                out += "<rect class=\"ww-chart__bar \(s.cssClass)\" x=\"\(Int(x0 + Double(k) * barWidth))\" y=\"\(Int(height - bottom - h))\" width=\"\(Int(max(1, barWidth - 1)))\" height=\"\(Int(h))\"/>"
            }
            out += "<text class=\"ww-chart__label\" x=\"\(Int(x0 + groupWidth / 2 - 3))\" y=\"\(Int(height - bottom + 14))\" text-anchor=\"middle\">\(HTML.escape(label))</text>"
        }
        // Legend.
        for (k, s) in series.enumerated() {
            let x = left + Double(k) * 160
            out += "<rect class=\"ww-chart__bar \(s.cssClass)\" x=\"\(Int(x))\" y=\"\(Int(height - 14))\" width=\"10\" height=\"10\"/>"
            out += "<text class=\"ww-chart__label\" x=\"\(Int(x + 14))\" y=\"\(Int(height - 5))\">\(HTML.escape(s.name))</text>"
        }
        return out + "</svg>"
    }
}
