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

/// A small line chart as SVG for a trend over years (server-drawn, no script), with a title and description for
/// screen readers; the page shows the same figures in a table. Years without a figure are gaps, never zero.
enum LineChart {
    struct Series { var name: String; var cssClass: String; var values: [Int: Double] }

    static func svg(id: String, title: String, description: String, years: [Int], series: [Series], format: (Double) -> String) -> String {
        let width = 320.0, height = 140.0, left = 44.0, right = 22.0, top = 10.0, bottom = 28.0
        let all = series.flatMap { $0.values.values }
        guard let lowValue = all.min(), let highValue = all.max(), years.count >= 1 else { return "" }
        let low = lowValue == highValue ? lowValue - 1 : lowValue, high = lowValue == highValue ? highValue + 1 : highValue
        let firstYear = Double(years.first!), lastYear = Double(max(years.last!, years.first! + 1))
        let x = { (y: Int) in left + (Double(y) - firstYear) / (lastYear - firstYear) * (width - left - right) }
        let yPos = { (v: Double) in top + (1 - (v - low) / (high - low)) * (height - top - bottom) }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ww-chart ww-chart--line\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"\(id)-titel \(id)-uitleg\">"
        out += "<title id=\"\(id)-titel\">\(HTML.escape(title))</title><desc id=\"\(id)-uitleg\">\(HTML.escape(description))</desc>"
        out += "<line class=\"ww-chart__axis\" x1=\"\(Int(left))\" y1=\"\(Int(height - bottom))\" x2=\"\(Int(width - right))\" y2=\"\(Int(height - bottom))\"/>"
        out += "<text class=\"ww-chart__tick\" x=\"\(Int(left - 4))\" y=\"\(Int(top + 4))\" text-anchor=\"end\">\(HTML.escape(format(highValue)))</text>"
        out += "<text class=\"ww-chart__tick\" x=\"\(Int(left - 4))\" y=\"\(Int(height - bottom))\" text-anchor=\"end\">\(HTML.escape(format(lowValue)))</text>"
        for year in years { out += "<text class=\"ww-chart__label\" x=\"\(Int(x(year)))\" y=\"\(Int(height - bottom + 14))\" text-anchor=\"middle\">\(year)</text>" }
        for s in series {
            // Consecutive years with figures are joined; a missing year breaks the line.
            var segment: [(Double, Double)] = []
            func flush() {
                if segment.count >= 2 { out += "<polyline class=\"ww-chart__line \(s.cssClass)\" fill=\"none\" points=\"" + segment.map { "\(Int($0.0)),\(Int($0.1))" }.joined(separator: " ") + "\"/>" }
                segment = []
            }
            for year in years {
                if let v = s.values[year] {
                    segment.append((x(year), yPos(v)))
                    out += "<circle class=\"ww-chart__point \(s.cssClass)\" cx=\"\(Int(x(year)))\" cy=\"\(Int(yPos(v)))\" r=\"3\"/>"
                } else { flush() }
            }
            flush()
        }
        return out + "</svg>"
    }
}
