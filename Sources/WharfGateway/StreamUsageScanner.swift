import Foundation

/// Reads the usage out of a relayed SSE stream as its chunks pass, without holding them back: Anthropic
/// reports input tokens in `message_start` and output tokens in `message_delta`; OpenAI, when asked with
/// `stream_options.include_usage`, in a last chunk. It also counts content deltas, so a stream that
/// never reports usage (or is cut short) is still counted, and marked as counted locally.
struct StreamUsageScanner: Sendable {
    let api: UpstreamAPI
    private var pending: [UInt8] = []
    /// The prompt's tokens, as the upstream reported them (Anthropic does so at the start).
    private(set) var reportedPrompt: Int?
    /// The answer's tokens, as the upstream reported them at the end of the stream.
    private(set) var reportedCompletion: Int?
    private(set) var contentDeltas = 0

    init(api: UpstreamAPI) { self.api = api }

    /// Feeds the next bytes of the stream; complete lines are read, a partial one waits for the rest.
    mutating func consume(_ bytes: some Collection<UInt8>) {
        pending.append(contentsOf: bytes)
        var start = pending.startIndex
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            line(pending[start..<newline])
            start = newline + 1
        }
        pending.removeSubrange(..<start)
    }

    /// What the stream used: as reported, or counted when the upstream never said — a stream cut short
    /// before its end counts its answer by the deltas that passed.
    func usage(promptEstimate: Int) -> (usage: TokenUsage, counted: Bool) {
        let usage = TokenUsage(prompt: reportedPrompt ?? promptEstimate, completion: reportedCompletion ?? contentDeltas)
        return (usage, reportedPrompt == nil || reportedCompletion == nil)
    }

    private static let dataPrefix = Array("data: ".utf8)
    private static let usageKey = Array("\"usage\"".utf8)
    private static let deltaMarkers = [Array("\"text_delta\"".utf8), Array("\"content\":\"".utf8)]

    private mutating func line(_ line: ArraySlice<UInt8>) {
        guard line.starts(with: Self.dataPrefix) else { return }
        let payload = line.dropFirst(Self.dataPrefix.count)
        if Self.deltaMarkers.contains(where: { payload.firstRange(of: $0) != nil }) { contentDeltas += 1 }
        guard payload.firstRange(of: Self.usageKey) != nil,
            let object = (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any]
        else { return }
        switch api {
        case .anthropic:
            if let message = object["message"] as? [String: Any], let usage = message["usage"] as? [String: Any], let input = usage["input_tokens"] as? Int {
                reportedPrompt = input
            }
            if object["type"] as? String == "message_delta", let usage = object["usage"] as? [String: Any], let output = usage["output_tokens"] as? Int {
                reportedCompletion = output
            }
        case .openAI:
            if let usage = object["usage"] as? [String: Any], let prompt = usage["prompt_tokens"] as? Int, let completion = usage["completion_tokens"] as? Int {
                reportedPrompt = prompt
                reportedCompletion = completion
            }
        }
    }
}
