import Foundation
import Testing

@testable import WharfGateway

/// Reading usage out of SSE streams, fed in arbitrary pieces as the network delivers them.
@Suite("Stream usage scanner")
struct StreamUsageScannerTests {
    static let anthropic = """
        event: message_start
        data: {"type":"message_start","message":{"id":"m","usage":{"input_tokens":25,"output_tokens":1}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":15}}


        """

    static let openAI = """
        data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}

        data: {"choices":[{"index":0,"delta":{"content":" there"}}]}

        data: {"choices":[],"usage":{"prompt_tokens":31,"completion_tokens":12,"total_tokens":43}}

        data: [DONE]


        """

    static func scan(_ text: String, _ api: UpstreamAPI, pieces: Int) -> StreamUsageScanner {
        var scanner = StreamUsageScanner(api: api)
        let bytes = Array(text.utf8)
        let size = max(1, bytes.count / pieces)
        for start in stride(from: 0, to: bytes.count, by: size) { scanner.consume(bytes[start..<min(start + size, bytes.count)]) }
        return scanner
    }

    @Test("reported usage is read whatever the pieces", arguments: [1, 3, 17, 400])
    func reported(pieces: Int) {
        let anthropic = Self.scan(Self.anthropic, .anthropic, pieces: pieces).usage(promptEstimate: 99)
        #expect(anthropic.usage == TokenUsage(prompt: 25, completion: 15) && !anthropic.counted)
        let openAI = Self.scan(Self.openAI, .openAI, pieces: pieces).usage(promptEstimate: 99)
        #expect(openAI.usage == TokenUsage(prompt: 31, completion: 12) && !openAI.counted)
    }

    @Test("a stream without usage is counted locally: the prompt estimate and one token per content delta")
    func counted() {
        let cut = Self.openAI.components(separatedBy: "data: {\"choices\":[],").first!
        let scanned = Self.scan(cut, .openAI, pieces: 5).usage(promptEstimate: 40)
        #expect(scanned.usage == TokenUsage(prompt: 40, completion: 2) && scanned.counted)
    }

    @Test("an Anthropic stream cut before its end keeps the reported prompt and counts the deltas that passed")
    func cutShort() {
        let cut = Self.anthropic.components(separatedBy: "event: message_delta").first!
        let scanned = Self.scan(cut, .anthropic, pieces: 4).usage(promptEstimate: 40)
        #expect(scanned.usage == TokenUsage(prompt: 25, completion: 2) && scanned.counted)
    }
}
