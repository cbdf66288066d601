#!/usr/bin/env bash
# Regenerates openapi/v1.json from the running code (the drift test writes it when asked to).
set -euo pipefail
cd "$(dirname "$0")/.."
ACTIVITYFEED_UPDATE_OPENAPI=1 dotnet test tests/ActivityFeed.Tests --filter "FullyQualifiedName~OpenApiDocumentTests.CommittedDocumentEqualsTheGeneratedOne"
echo "openapi/v1.json regenerated."
