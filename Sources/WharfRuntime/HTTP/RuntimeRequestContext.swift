import Hummingbird

/// The request context of services on the runtime: Hummingbird's core storage plus the request id and
/// the trace context, which are also in the logger's metadata and the response headers.
public struct RuntimeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String = ""
    /// Send `trace.header` as `traceparent` on outgoing calls so they join this request's trace.
    public var trace = TraceContext.none

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
