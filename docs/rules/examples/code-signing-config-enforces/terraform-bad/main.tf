# SGN-002 bad: the policy comes from a variable whose default is "Warn".
variable "signing_mode" {
  type    = string
  default = "Warn"
}

resource "aws_signer_signing_profile" "release" {
  platform_id = "AWSLambda-SHA384-ECDSA"
}

resource "aws_lambda_code_signing_config" "this" {
  allowed_publishers {
    signing_profile_version_arns = [aws_signer_signing_profile.release.version_arn]
  }
  policies {
    untrusted_artifact_on_deployment = var.signing_mode
  }
}

resource "aws_lambda_function" "fn" {
  function_name           = "fn"
  role                    = "arn:aws:iam::111122223333:role/fn"
  runtime                 = "nodejs22.x"
  handler                 = "index.handler"
  filename                = "fn.zip"
  code_signing_config_arn = aws_lambda_code_signing_config.this.arn
}
