import Hummingbird

/// `HTTPServerMetrics` for any Hummingbird router, for servers not built on the runtime (the control
/// plane). Add it first, so it sees the status other middleware makes of an error.
public struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: HTTPServerMetrics

    public init(_ metrics: HTTPServerMetrics) {
        self.metrics = metrics
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        metrics.began()
        do {
            let response = try await next(request, context)
            metrics.served(route: context.endpointPath, method: request.method, status: response.status.code, since: started)
            return response
        } catch let error as any HTTPResponseError {
            metrics.served(route: context.endpointPath, method: request.method, status: error.status.code, since: started)
            throw error
        } catch {
            metrics.served(route: context.endpointPath, method: request.method, status: 500, since: started)
            throw error
        }
    }
}
