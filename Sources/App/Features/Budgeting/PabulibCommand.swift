import Vapor
import Domain

/// `wijkwerk pb outcome FILE.pb --rule greedy|equal-shares|equal-shares-add1|equal-shares-add1-greedy [--json]`:
/// recomputes the outcome of any participatory-budgeting election in Pabulib's format (a round exported by
/// Wijkwerk or one held elsewhere). Prints the selected project ids in selection order, one per line (with
/// `--json`: `{"selected": [...], "cost": N, "budget": N}`). Needs no database.
struct PabulibCommands: AsyncCommandGroup {
    var help: String { "Participatory budgeting: recompute an election from its Pabulib file" }
    var commands: [String: any AnyAsyncCommand] { ["outcome": PabulibOutcomeCommand()] }
}

struct PabulibOutcomeCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A .pb file (Pabulib format)") var file: String
        @Option(name: "rule", help: "greedy, equal-shares, equal-shares-add1 or equal-shares-add1-greedy") var rule: String?
        @Flag(name: "json", help: "Print {\"selected\": [...], \"cost\": N, \"budget\": N}") var json: Bool
    }

    var help: String { "Print the projects a rule selects from a Pabulib file, in selection order" }

    struct Output: Encodable {
        var selected: [String]
        var cost: Int
        var budget: Int
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let ruleName = signature.rule else {
            context.console.error("Name a rule with --rule: \(AllocationRule.allCases.map(\.rawValue).joined(separator: ", "))")
            throw ExitCode(2)
        }
        guard let rule = AllocationRule(rawValue: ruleName) else {
            context.console.error("Unknown rule \(ruleName): use \(AllocationRule.allCases.map(\.rawValue).joined(separator: ", "))")
            throw ExitCode(2)
        }
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            context.console.error("Cannot read \(signature.file)")
            throw ExitCode(1)
        }
        let election: BudgetElection
        do {
            election = try PabulibFile.parse(String(decoding: data, as: UTF8.self)).election()
        } catch let problem as PabulibFile.Problem {
            context.console.error("\(signature.file): \(problem)")
            throw ExitCode(1)
        }
        let allocation = Allocator.allocate(election, rule: rule)
        if signature.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let text = String(decoding: try encoder.encode(Output(selected: allocation.selected, cost: allocation.cost, budget: allocation.budget)), as: UTF8.self)
            context.console.output(ConsoleText(stringLiteral: text))
        } else {
            for id in allocation.selected { context.console.output(ConsoleText(stringLiteral: id)) }
        }
    }
}
