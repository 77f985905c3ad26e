# SGN-002 good: every instance's CSC enforces.
locals {
  functions = toset(["orders", "billing"])
}

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

resource "aws_lambda_function" "fn" {
  for_each                = local.functions
  function_name           = each.key
  role                    = "arn:aws:iam::111122223333:role/fn"
  runtime                 = "nodejs22.x"
  handler                 = "index.handler"
  filename                = "${each.key}.zip"
  code_signing_config_arn = aws_lambda_code_signing_config.this.arn
}
