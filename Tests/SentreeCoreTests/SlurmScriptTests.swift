import Foundation
import Testing

@testable import SentreeCore

@Suite struct SlurmScriptTests {
    @Test func arrayListJoinsConsecutiveIndicesIntoRanges() {
        #expect(SlurmScript.arrayList([0, 1, 2, 3]) == "0-3")
        #expect(SlurmScript.arrayList([5, 0, 2, 3, 7, 8, 9]) == "0,2-3,5,7-9")
        #expect(SlurmScript.arrayList([4]) == "4")
        #expect(SlurmScript.arrayList([1, 1, 2]) == "1-2")
    }

    @Test func scriptRunsEachArrayTaskAsItsTrialWithAbsolutePaths() {
        var script = SlurmScript(sweep: "/shared/sw", executable: "/opt/it's/sentree", indices: [0, 2, 3])
        script.partition = "gpu"
        script.time = "1:00:00"
        script.maxParallel = 2
        script.extraArguments = ["--mem=2G", "--qos=low"]
        #expect(script.problem == nil)
        let lines = script.text.split(separator: "\n").map(String.init)
        #expect(lines.first == "#!/bin/bash")
        #expect(lines.contains("#SBATCH --array=0,2-3%2"))
        #expect(lines.contains("#SBATCH --output=/shared/sw/slurm/%A_%a.out"))
        #expect(lines.contains("#SBATCH --chdir=/shared/sw"))
        #expect(lines.contains("#SBATCH --cpus-per-task=1"))
        #expect(lines.contains("#SBATCH --partition=gpu") && lines.contains("#SBATCH --time=1:00:00"))
        #expect(lines.contains("#SBATCH --mem=2G") && lines.contains("#SBATCH --qos=low"))
        #expect(
            lines.last
                == "exec '/opt/it'\\''s/sentree' sweep run-trial '/shared/sw' --index \"$SLURM_ARRAY_TASK_ID\""
        )
        // Every #SBATCH line comes before the first command, or sbatch ignores it.
        let firstCommand = lines.firstIndex { !$0.hasPrefix("#") }!
        #expect(lines[firstCommand...].allSatisfy { !$0.hasPrefix("#SBATCH") })
    }

    @Test func withoutALimitTheArrayHasNoThrottle() {
        let script = SlurmScript(sweep: "/s", executable: "/bin/sentree", indices: [1, 2])
        #expect(script.arraySpec == "1-2")
        #expect(!script.text.contains("--partition") && !script.text.contains("--time"))
    }

    @Test func whatSbatchLinesCannotCarryIsRefused() {
        func problem(_ change: (inout SlurmScript) -> Void) -> String? {
            var s = SlurmScript(sweep: "/shared/sw", executable: "/bin/sentree", indices: [0])
            change(&s)
            return s.problem
        }
        #expect(problem { _ in } == nil)
        #expect(
            problem { $0 = SlurmScript(sweep: "sw", executable: "/bin/sentree", indices: [0]) }?
                .contains("not an absolute path") == true)
        #expect(
            problem { $0 = SlurmScript(sweep: "/a b", executable: "/bin/sentree", indices: [0]) }?
                .contains("holds ' '") == true)
        #expect(problem { $0 = SlurmScript(sweep: "/a", executable: "/bin/sentree", indices: []) } != nil)
        #expect(problem { $0.extraArguments = ["--mem 2G"] }?.contains("--sbatch-arg=--mem=2G") == true)
        #expect(problem { $0.extraArguments = ["mem=2G"] } != nil)
        #expect(problem { $0.time = "1 day" }?.contains("--time") == true)
        #expect(problem { $0.partition = "" }?.contains("--partition") == true)
        #expect(problem { $0.maxParallel = 0 } != nil)
    }
}
