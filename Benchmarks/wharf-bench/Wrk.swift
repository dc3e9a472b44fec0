import Foundation

/// wrk with a Lua script that posts a JSON body and collects the gateway's `x-wharf-overhead-ms`.
enum Wrk {
    struct Round {
        var rate: Double
        var requests: Int
        /// The median `x-wharf-overhead-ms` of the round's answers; nil when none carried it.
        var overheadP50: Double?
    }

    static func script(in directory: URL, name: String, body: String, headers: [String: String]) throws -> String {
        let headerLines = headers.map { #"wrk.headers["\#($0.key)"] = "\#($0.value)""# }.joined(separator: "\n")
        let script = """
            wrk.method = "POST"
            wrk.body = [[\(body)]]
            wrk.headers["Content-Type"] = "application/json"
            \(headerLines)
            local threads = {}
            function setup(thread) table.insert(threads, thread) end
            overheads = {}
            function response(status, headers, body)
              local value = headers["x-wharf-overhead-ms"]
              if value then overheads[#overheads + 1] = tonumber(value) end
            end
            function done(summary, latency, requests)
              local all = {}
              for _, thread in ipairs(threads) do
                for _, value in ipairs(thread:get("overheads")) do all[#all + 1] = value end
              end
              table.sort(all)
              if #all > 0 then print(string.format("overhead_p50_ms %.4f", all[math.floor(#all / 2) + 1])) end
            end
            """
        let path = directory.appendingPathComponent("\(name).lua").path
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func run(url: String, script: String, connections: Int, seconds: Int) throws -> Round {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        process.arguments = ["-t2", "-c\(connections)", "-d\(seconds)s", "-s", script, url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let rate = output.firstMatch(of: /Requests\/sec:\s+([0-9.]+)/).flatMap({ Double($0.1) }),
            let requests = output.firstMatch(of: /(\d+) requests in/).flatMap({ Int($0.1) })
        else { throw BenchFailure("wrk printed no rate:\n\(output)") }
        if output.contains("Non-2xx") { throw BenchFailure("errors under load:\n\(output)") }
        return Round(rate: rate, requests: requests, overheadP50: output.firstMatch(of: /overhead_p50_ms ([0-9.]+)/).flatMap { Double($0.1) })
    }
}
