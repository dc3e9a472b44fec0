/// How the fake upstream answers, changed by a test while it runs.
public struct FakeLLMBehaviour: Sendable, Equatable {
    /// Before the first byte of every answer.
    public var delay: Duration = .zero
    /// Hold every answer before its first byte until the test calls `FakeLLMUpstream.release()`: a call
    /// in flight for as long as the test needs, however busy the machine.
    public var holdAnswers = false
    /// Between two streamed chunks.
    public var chunkDelay: Duration = .zero
    /// The words of every reply; a stream sends one chunk per word.
    public var replyWords = 8
    /// Answer every request with this status (a 5xx, or 429 with `retry-after`) in the API's error format.
    public var failure: Int?
    /// The `retry-after` seconds of a 429.
    public var retryAfterSeconds = 7
    /// Streams leave usage out, as some upstreams do when not asked or when cut short.
    public var omitStreamUsage = false
    /// Each streamed chunk starts with an SSE comment, `: sent-ns <MonotonicClock nanoseconds>`, written
    /// as it leaves, so a benchmark can time the relay (clients ignore comments).
    public var stampChunks = false

    public init() {}
}
