-- CreateTable
CREATE TABLE "login_failure_windows" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "reset_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "login_failure_windows_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "login_failure_windows_reset_at_idx" ON "login_failure_windows"("reset_at");
