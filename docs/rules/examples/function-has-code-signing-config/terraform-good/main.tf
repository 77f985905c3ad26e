# SGN-001 good: the function refers to an enforcing code signing configuration.
resource "aws_signer_signing_profile" "release" {
  platform_id = "AWSLambda-SHA384-ECDSA"
  signature_validity_period {
    value = 12
    type  = "MONTHS"
  }
  name_prefix = "release"
}

resource "aws_lambda_code_signing_config" "orders" {
  allowed_publishers {
    signing_profile_version_arns = [aws_signer_signing_profile.release.version_arn]
  }
  policies {
    untrusted_artifact_on_deployment = "Enforce"
  }
}

resource "aws_lambda_function" "orders" {
  function_name           = "orders"
  role                    = "arn:aws:iam::111122223333:role/orders"
  runtime                 = "nodejs22.x"
  handler                 = "index.handler"
  filename                = "orders.zip"
  code_signing_config_arn = aws_lambda_code_signing_config.orders.arn
}
