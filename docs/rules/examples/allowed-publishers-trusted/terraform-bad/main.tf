# SGN-003 bad: .arn is the profile ARN, not the version ARN (use .version_arn).
resource "aws_signer_signing_profile" "release" {
  platform_id = "AWSLambda-SHA384-ECDSA"
}

resource "aws_lambda_code_signing_config" "this" {
  allowed_publishers {
    signing_profile_version_arns = [aws_signer_signing_profile.release.arn]
  }
  policies {
    untrusted_artifact_on_deployment = "Enforce"
  }
}
