import Foundation

/// The fake's answers in each API's wire format: what a real upstream sends, with usage counted from the
/// request (about four characters a token) and the reply (one token a word).
enum FakeLLMReply {
    static func words(_ count: Int) -> [String] { (0..<count).map { "word\($0)" } }

    static func promptTokens(_ body: [String: Any]) -> Int {
        let text = (try? JSONSerialization.data(withJSONObject: body["messages"] ?? [])) ?? Data()
        return max(1, text.count / 4)
    }

    static func json(_ value: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }

    // MARK: Anthropic Messages

    static func anthropicMessage(model: String, words: [String], input: Int) -> String {
        json([
            "id": "msg_fake", "type": "message", "role": "assistant", "model": model,
            "content": [["type": "text", "text": words.joined(separator: " ")]], "stop_reason": "end_turn", "stop_sequence": NSNull(),
            "usage": ["input_tokens": input, "output_tokens": words.count],
        ])
    }

    static func anthropicEvents(model: String, words: [String], input: Int, usage: Bool) -> [String] {
        func event(_ name: String, _ data: [String: Any]) -> String { "event: \(name)\ndata: \(json(data))\n\n" }
        var events = [
            event("message_start", ["type": "message_start", "message": [
                "id": "msg_fake", "type": "message", "role": "assistant", "model": model, "content": [], "stop_reason": NSNull(),
                "usage": usage ? ["input_tokens": input, "output_tokens": 1] : [:],
            ] as [String: Any]]),
            event("content_block_start", ["type": "content_block_start", "index": 0, "content_block": ["type": "text", "text": ""]]),
        ]
        for (index, word) in words.enumerated() {
            events.append(event("content_block_delta", ["type": "content_block_delta", "index": 0, "delta": ["type": "text_delta", "text": index == 0 ? word : " \(word)"]]))
        }
        events.append(event("content_block_stop", ["type": "content_block_stop", "index": 0]))
        events.append(event("message_delta", ["type": "message_delta", "delta": ["stop_reason": "end_turn"], "usage": usage ? ["output_tokens": words.count] : [:]]))
        events.append(event("message_stop", ["type": "message_stop"]))
        return events
    }

    static func anthropicError(_ status: Int) -> String {
        let type = status == 429 ? "rate_limit_error" : status == 529 ? "overloaded_error" : status == 401 ? "authentication_error" : "api_error"
        return json(["type": "error", "error": ["type": type, "message": "fake upstream answered \(status)"]])
    }

    // MARK: OpenAI Chat Completions

    static func openAICompletion(model: String, words: [String], input: Int) -> String {
        json([
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 1_700_000_000, "model": model,
            "choices": [["index": 0, "message": ["role": "assistant", "content": words.joined(separator: " ")], "finish_reason": "stop"]],
            "usage": ["prompt_tokens": input, "completion_tokens": words.count, "total_tokens": input + words.count],
        ])
    }

    static func openAIChunks(model: String, words: [String], input: Int, usage: Bool) -> [String] {
        func chunk(_ choices: [[String: Any]], usage: [String: Any]? = nil) -> String {
            var body: [String: Any] = ["id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1_700_000_000, "model": model, "choices": choices]
            if let usage { body["usage"] = usage }
            return "data: \(json(body))\n\n"
        }
        var chunks = [chunk([["index": 0, "delta": ["role": "assistant", "content": ""], "finish_reason": NSNull()]])]
        for (index, word) in words.enumerated() {
            chunks.append(chunk([["index": 0, "delta": ["content": index == 0 ? word : " \(word)"], "finish_reason": NSNull()]]))
        }
        chunks.append(chunk([["index": 0, "delta": [:], "finish_reason": "stop"]]))
        if usage { chunks.append(chunk([], usage: ["prompt_tokens": input, "completion_tokens": words.count, "total_tokens": input + words.count])) }
        chunks.append("data: [DONE]\n\n")
        return chunks
    }

    static func openAIError(_ status: Int) -> String {
        let type = status == 429 ? "rate_limit_exceeded" : status == 401 ? "invalid_api_key" : "server_error"
        return json(["error": ["message": "fake upstream answered \(status)", "type": type, "param": NSNull(), "code": type]])
    }
}
