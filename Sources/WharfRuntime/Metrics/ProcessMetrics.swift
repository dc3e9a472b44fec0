import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The standard Prometheus process metrics (`process_cpu_seconds_total`, `process_resident_memory_bytes`,
/// …), read from `/proc` when scraped, so they cost nothing between scrapes. Empty where `/proc` is absent.
enum ProcessMetrics {
    static func render() -> String {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return "" }
        // Fields after the command name, which may itself contain spaces; field 3 of proc(5) is index 0 here.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> Double { fields.count > number - 3 ? Double(fields[number - 3]) ?? 0 : 0 }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        let bootTime = (try? String(contentsOfFile: "/proc/stat", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6)) } ?? 0
        let openFDs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        let metrics: [(String, String, String, Double)] = [
            ("process_cpu_seconds_total", "counter", "User and system CPU time spent, in seconds", (field(14) + field(15)) / ticks),
            ("process_resident_memory_bytes", "gauge", "Resident memory size, in bytes", field(24) * pageSize),
            ("process_virtual_memory_bytes", "gauge", "Virtual memory size, in bytes", field(23)),
            ("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch, in seconds", bootTime + field(22) / ticks),
            ("process_open_fds", "gauge", "Open file descriptors", Double(openFDs)),
        ]
        return metrics.map { name, type, help, value in
            "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
        }.joined()
    }
}
