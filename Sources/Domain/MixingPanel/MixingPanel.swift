import Foundation

/// Platform31's schuifoefening (mixing panel): sliders set low, middle or high (or on a finer scale), compared with
/// five profiles of how a municipality organises wijkgericht werken. Pure rules; the texts live in Resources/Seed.
public enum MixingPanel {
    /// The five sliders of the document, in its order, and the optional sixth one.
    public static let mainSliders = ["positioneringIntern", "procesBinnenGemeente", "procesMetBewoners", "bestuurEnPolitiek", "communicatie"]
    public static let optionalSlider = "kenmerkenWijk"

    /// Profiles in the fixed order used to break ties (the order in which the document presents them).
    public static let profileOrder = ["ontwikkelende", "participatieve", "organisatiegerichte", "toenaderingsgerichte", "gekantelde"]

    /// A scale of 3 (low, middle, high) or 5 steps; positions run from 1 to `steps`, the middle means "no choice made".
    public struct Scale: Hashable, Sendable, Codable {
        public var steps: Int
        public init(steps: Int) { self.steps = steps }
        public static let three = Scale(steps: 3)
        public static let five = Scale(steps: 5)
        public var middle: Int { (steps + 1) / 2 }
        public var range: ClosedRange<Int> { 1...steps }

        /// A position on the 3-step scale expressed on this scale (1 → 1, 2 → middle, 3 → top).
        public func fromThreeStep(_ position: Int) -> Double {
            1 + Double(position - 1) * Double(steps - 1) / 2
        }
    }

    public enum Problem: Error, Hashable, Sendable {
        case missing(slider: String)
        case outOfScale(slider: String, position: Int, steps: Int)
        case unknownSlider(String)
        case unsupportedScale(Int)
    }

    /// Checks a panel: every main slider set, every position on the scale, no unknown sliders.
    public static func validate(_ positions: [String: Int], scale: Scale, sixthSlider: Bool) -> [Problem] {
        var problems: [Problem] = []
        if ![3, 5].contains(scale.steps) { problems.append(.unsupportedScale(scale.steps)) }
        let expected = mainSliders + (sixthSlider ? [optionalSlider] : [])
        for slider in expected {
            guard let p = positions[slider] else { problems.append(.missing(slider: slider)); continue }
            if !scale.range.contains(p) { problems.append(.outOfScale(slider: slider, position: p, steps: scale.steps)) }
        }
        for slider in positions.keys.sorted() where !expected.contains(slider) { problems.append(.unknownSlider(slider)) }
        return problems
    }

    public struct SliderDifference: Hashable, Sendable {
        public var slider: String
        public var panel: Int
        /// The profile's position expressed on the panel's scale.
        public var profile: Double
        public var difference: Double { Double(panel) - profile }
    }

    public struct ProfileDistance: Hashable, Sendable {
        public var profile: String
        /// Sum of absolute differences over the five main sliders, in steps of the 3-step scale (0 = the same).
        public var distance: Double
        public var differences: [SliderDifference]
        public var differingSliders: [SliderDifference] { differences.filter { abs($0.difference) > 1e-9 } }
    }

    /// Distances to every profile, nearest first. The distance is the sum of absolute differences over the five
    /// main sliders, measured on the 3-step scale so 3- and 5-step panels compare alike; ties go to the profile that
    /// comes first in `profileOrder`. The sixth slider has no profile positions and is not compared.
    public static func compare(_ positions: [String: Int], scale: Scale, profiles: [String: [String: Int]]) -> [ProfileDistance] {
        let factor = 2 / Double(scale.steps - 1)
        let results = profiles.map { code, profilePositions -> ProfileDistance in
            let differences = mainSliders.compactMap { slider -> SliderDifference? in
                guard let mine = positions[slider], let theirs = profilePositions[slider] else { return nil }
                return SliderDifference(slider: slider, panel: mine, profile: scale.fromThreeStep(theirs))
            }
            let distance = differences.reduce(0) { $0 + abs($1.difference) * factor }
            return ProfileDistance(profile: code, distance: (distance * 1000).rounded() / 1000, differences: differences)
        }
        return results.sorted { a, b in
            if a.distance != b.distance { return a.distance < b.distance }
            return (profileOrder.firstIndex(of: a.profile) ?? Int.max, a.profile) < (profileOrder.firstIndex(of: b.profile) ?? Int.max, b.profile)
        }
    }

    public static func nearest(_ positions: [String: Int], scale: Scale, profiles: [String: [String: Int]]) -> ProfileDistance? {
        compare(positions, scale: scale, profiles: profiles).first
    }

    public struct Movement: Hashable, Sendable {
        public var slider: String
        public var from: Int
        public var to: Int
        public var change: Int { to - from }
    }

    /// Which sliders moved between two panels (on the same scale), in slider order.
    public static func movements(from earlier: [String: Int], to later: [String: Int]) -> [Movement] {
        (mainSliders + [optionalSlider]).compactMap { slider in
            guard let a = earlier[slider], let b = later[slider], a != b else { return nil }
            return Movement(slider: slider, from: a, to: b)
        }
    }
}
