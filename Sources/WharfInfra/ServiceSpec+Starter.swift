import Foundation

extension ServiceSpec {
    /// A commented spec to start from (`wharf msp init`): valid as it is, with the common options shown.
    public static func starter(id: String) -> String {
        """
        # yaml-language-server: $schema=https://wharf.dev/schemas/service-spec.json
        # A Wharf service spec. `wharf msp validate` checks it, `wharf msp generate` turns it into Terraform,
        # `wharf msp schema` prints the JSON Schema editors complete it with.
        service:
          id: \(id)                 # lower case, digits, dashes; at most 20 characters
          name: \(id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " "))
          owners: [my-team]
          description: What the service does, in a sentence or two.
          kind: service               # or job, which runs on a schedule
        build:
          image: us-docker.pkg.dev/my-project/images/\(id)
        environments:
          - id: dev
            category: test            # test, internal or external
            deployType: subscription  # follows each new image
          - id: prod
            category: external        # served to customers through the CDN only
            deployType: manual
            region: us-central1
            domain: \(id).example.com
            instances:
              cpu: 1
              memory: 512Mi           # at most 4Gi per CPU
              scaling: {minCount: 1, maxCount: 5, concurrency: 80}
            env:
              LOG_LEVEL: info
            # secretEnv:
            #   API_KEY: api-key      # a Secret Manager secret id
            # resources:
            #   postgreSQL: {databases: [\(id.replacingOccurrences(of: "-", with: "_"))]}
            #   redis: {memoryGB: 1}
        monitoring:
          responseCodeRatios:
            - id: server-errors
              description: More than 5% of responses are server errors.
              code: 5xx
              ratio: 0.05
        rollout:
          stages:
            - environment: dev
            - environment: prod

        """
    }
}
