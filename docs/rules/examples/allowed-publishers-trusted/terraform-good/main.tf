# SGN-003 good: the CSC allows the profile's version ARN.
resource "aws_signer_signing_profile" "release" {
  platform_id = "AWSLambda-SHA384-ECDSA"
  signature_validity_period {
    value = 12
    type  = "MONTHS"
  }
}

resource "aws_lambda_code_signing_config" "this" {
  allowed_publishers {
    signing_profile_version_arns = [aws_signer_signing_profile.release.version_arn]
  }
  policies {
    untrusted_artifact_on_deployment = "Enforce"
  }
}
