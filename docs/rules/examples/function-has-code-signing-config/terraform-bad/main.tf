# SGN-001 bad: no code_signing_config_arn, so any package deploys.
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::111122223333:role/orders"
  runtime       = "nodejs22.x"
  handler       = "index.handler"
  filename      = "orders.zip"
}
